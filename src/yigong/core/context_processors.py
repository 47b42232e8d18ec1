from django.conf import settings


def platform(request):
    return {
        "YIGONG_VERSION": __import__("yigong").__version__,
        "LANGUAGE_COOKIE_NAME": settings.LANGUAGE_COOKIE_NAME,
    }
