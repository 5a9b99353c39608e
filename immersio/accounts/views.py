from django.http import HttpResponse


def login_placeholder(request):  # replaced by the magic-link views
    return HttpResponse("")
