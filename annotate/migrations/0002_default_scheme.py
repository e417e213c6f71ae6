from django.db import migrations

from annotate.campaigns.defaults import create_default_scheme


def forwards(apps, schema_editor):
    create_default_scheme(
        apps.get_model("annotate", "LabelScheme"),
        apps.get_model("annotate", "Label"),
        apps.get_model("annotate", "BiasMarker"),
    )


class Migration(migrations.Migration):
    dependencies = [("annotate", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
