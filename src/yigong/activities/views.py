from django.http import HttpResponse


def finder(request):
    return HttpResponse("")


def my_shifts(request):
    return HttpResponse("")
