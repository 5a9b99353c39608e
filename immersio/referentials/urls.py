from django.urls import path

app_name = "referentials"

urlpatterns: list = []
