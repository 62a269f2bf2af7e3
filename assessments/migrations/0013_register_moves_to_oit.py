"""The OIT register's models move to the oit app: only Django's idea of them leaves assessments;
their tables (assessments_registeritem, assessments_historicalregisteritem, assessments_linkcheck)
and every row stay where they are (oit.0001 takes them over by db_table)."""


from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0012_organisation_garuda'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='linkcheck',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='registeritem',
                    name='fiscal_year',
                ),
                migrations.RemoveField(
                    model_name='registeritem',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='registeritem',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='registeritem',
                    name='updated_by',
                ),
                migrations.DeleteModel(
                    name='HistoricalRegisterItem',
                ),
                migrations.DeleteModel(
                    name='LinkCheck',
                ),
                migrations.DeleteModel(
                    name='RegisterItem',
                ),
            ],
            database_operations=[],
        ),
    ]
