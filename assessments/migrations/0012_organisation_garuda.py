# The image printed at the head of the memo is the ครุฑ (Garuda) that งานสารบรรณ asks for, not an
# agency's seal: renamed so, its data kept.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0011_framework_note_for_users"),
    ]

    operations = [
        migrations.RenameField(model_name="organisation", old_name="emblem", new_name="garuda"),
        migrations.RenameField(model_name="organisation", old_name="emblem_type", new_name="garuda_type"),
        migrations.AlterField(
            model_name="organisation",
            name="garuda",
            field=models.BinaryField(blank=True, editable=False, null=True, verbose_name="ภาพครุฑ"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="garuda_type",
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name="ชนิดไฟล์ภาพครุฑ"),
        ),
    ]
