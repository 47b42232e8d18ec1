from django.contrib import admin

from yigong.projects.models import Project, ProjectEvaluation, ProjectIdea, ProjectTransition


class TransitionInline(admin.TabularInline):
    model = ProjectTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "actor", "reason", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "category", "state", "is_brand", "starts_on", "ends_on")
    list_filter = ("state", "category", "is_brand")
    search_fields = ("title", "owner__name")
    raw_id_fields = ("owner", "region", "created_by", "from_idea")
    readonly_fields = ("state",)  # states change only through the services (with a recorded transition)
    inlines = [TransitionInline]


@admin.register(ProjectEvaluation)
class ProjectEvaluationAdmin(admin.ModelAdmin):
    list_display = ("project", "evaluator", "evaluated_at")
    raw_id_fields = ("project", "evaluator")


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "state", "created_at")
    list_filter = ("state", "category")
    search_fields = ("title",)
    raw_id_fields = ("region", "submitted_by", "adopted_by")
