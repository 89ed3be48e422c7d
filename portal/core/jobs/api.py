"""API: a background job's progress (a re-scoring, a bulk send), as on its progress page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import HasActiveMembership

from .models import Job


class JobOut(serializers.ModelSerializer):
    progress = serializers.IntegerField()

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "total", "done", "progress", "created_at", "finished_at"]


class JobView(APIView):
    permission_classes = [HasActiveMembership]

    @extend_schema(responses=JobOut, summary="A background job's progress")
    def get(self, request, pk: int):
        job = get_object_or_404(Job.objects.visible_to(request.membership), pk=pk)
        return Response(JobOut(job).data)
