from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from yigong.core.selectors import district_figures


def home(request):
    return render(request, "core/home.html", {"figures": district_figures()})


def privacy(request):
    return render(request, "core/privacy.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
