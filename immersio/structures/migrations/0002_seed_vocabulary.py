from django.db import migrations


def seed(apps, schema_editor):
    from immersio.structures.vocabulary import CAUSES, NETWORKS

    Cause = apps.get_model("structures", "Cause")
    Network = apps.get_model("structures", "Network")
    for position, (slug, label) in enumerate(CAUSES):
        Cause.objects.update_or_create(
            slug=slug, defaults={"label": label, "position": position, "bit": position}
        )
    for position, (slug, name, website) in enumerate(NETWORKS):
        Network.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "website": website, "position": position, "bit": position},
        )


class Migration(migrations.Migration):
    dependencies = [("structures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
