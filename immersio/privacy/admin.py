"""The back office deletes a person through ``services.delete_account``, like the person
does: the same erasure, the same things kept, the same receipt, the same refusals (an
immersion under way, the last administrator of an organisation)."""

from django.contrib import admin, messages

from immersio.accounts.admin import UserAdmin
from immersio.accounts.models import User

from . import erasure, services


class ErasingUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        """Django's confirmation page, whose « protected » list stops the deletion: here,
        the reasons an account cannot be deleted yet."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for user in objs:
            protected += [f"{user} : {reason}" for reason in erasure.blocking_reasons(user)]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        try:
            services.delete_account(user=obj, actor=request.user)
        except services.DeletionBlocked as blocked:
            messages.error(request, f"{obj} : {blocked}")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


admin.site.unregister(User)
admin.site.register(User, ErasingUserAdmin)
