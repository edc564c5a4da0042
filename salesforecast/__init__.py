"""salesforecast: demand forecasting and supply planning (Django project package and core app)."""
