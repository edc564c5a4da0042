"""Fields and helpers every planning serializer module shares."""



from rest_framework import serializers

from branches.models import Location
from sales.models import Product

QTY = {"max_digits": 14, "decimal_places": 3}
MAX_DAILY = 1e9  # demand per day; beyond this a number is a mistake, and sums must stay exact decimals


class ProductBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "sku", "name", "unit", "kind"]


class LocationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "name"]
