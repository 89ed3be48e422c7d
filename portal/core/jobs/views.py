"""A job's progress page; htmx polls the fragment until the job is finished."""

from django.shortcuts import get_object_or_404, render

from portal.core.accounts.decorators import membership_required

from .models import Job


@membership_required()
def job_detail(request, pk: int):
    job = get_object_or_404(Job.objects.visible_to(request.membership), pk=pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})
