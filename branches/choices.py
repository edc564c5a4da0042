from django.db import models


class LocationType(models.TextChoices):
    """iiko's corporate item types, plus BRANCH (1C) and WAREHOUSE (marketplaces, MoySklad, Sentos)."""

    CORPORATION = "CORPORATION", "Corporation"
    JURPERSON = "JURPERSON", "Legal entity"
    ORGDEVELOPMENT = "ORGDEVELOPMENT", "Org development"
    DEPARTMENT = "DEPARTMENT", "Department"
    MANUFACTURE = "MANUFACTURE", "Manufacture"
    CENTRALSTORE = "CENTRALSTORE", "Central store"
    CENTRALOFFICE = "CENTRALOFFICE", "Central office"
    SALEPOINT = "SALEPOINT", "Sale point"
    STORE = "STORE", "Store"
    GROUP = "GROUP", "Group"
    BRANCH = "BRANCH", "Branch"
    BRANCH_GROUP = "BRANCH_GROUP", "Branch group"
    WAREHOUSE = "WAREHOUSE", "Warehouse"
    OTHER = "OTHER", "Other"


# Types shown on the admin "Branches" screen; the rest are "Departments".
BRANCH_TYPES = (LocationType.BRANCH, LocationType.BRANCH_GROUP)
