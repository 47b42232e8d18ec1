from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yigong.organizations import permissions


@login_required
def console(request):
    return render(request, "organizations/console.html",
                  {"organizations": permissions.managed_organizations(request.user)[:50]})
