"""Translation status (issue 13): each clause counts the versions of its authoritative text and remembers the one
its translation was made from (drafting/models/clauses.py); and the amendment kind "translate".

Every clause that exists now is taken as translated from its current authoritative text: nothing recorded says
otherwise, and a translation is marked outdated only by a change made from now on. The history rows get the same
values, so reading an older version agrees with the clause.
"""
from django.db import migrations, models


def every_translation_current(apps, schema_editor):
    for name in ("Clause", "HistoricalClause"):
        model = apps.get_model("drafting", name)
        model.objects.exclude(translated_from=models.F("authoritative_version")).update(
            translated_from=models.F("authoritative_version"))


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0010_verbose_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='clause',
            name='authoritative_version',
            field=models.PositiveIntegerField(default=1, help_text='Counts the changes of the authoritative heading and text.', verbose_name='authoritative text version'),
        ),
        migrations.AddField(
            model_name='clause',
            name='translated_from',
            field=models.PositiveIntegerField(default=1, help_text='The authoritative text version the translation was made from.', verbose_name='translated from version'),
        ),
        migrations.AddField(
            model_name='historicalclause',
            name='authoritative_version',
            field=models.PositiveIntegerField(default=1, help_text='Counts the changes of the authoritative heading and text.', verbose_name='authoritative text version'),
        ),
        migrations.AddField(
            model_name='historicalclause',
            name='translated_from',
            field=models.PositiveIntegerField(default=1, help_text='The authoritative text version the translation was made from.', verbose_name='translated from version'),
        ),
        migrations.AlterField(
            model_name='amendment',
            name='kind',
            field=models.CharField(choices=[('modify', 'Modify'), ('remove', 'Remove'), ('insert', 'Insert'), ('translate', 'Translation update')], max_length=10, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalamendment',
            name='kind',
            field=models.CharField(choices=[('modify', 'Modify'), ('remove', 'Remove'), ('insert', 'Insert'), ('translate', 'Translation update')], max_length=10, verbose_name='kind'),
        ),
        migrations.RunPython(every_translation_current, migrations.RunPython.noop),
    ]
