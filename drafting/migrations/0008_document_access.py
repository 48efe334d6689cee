"""Per-document access (issue 12): DocumentAccess with history, Document.marking, ExportEvent.

An existing deployment keeps working: every active member is put on every existing document with the role
matching their deployment role (admins as reviewers; they keep every capability anyway), each with a history
row saying so, so the audit shows where the first rows came from.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


UPGRADE_REASON = "put on the document at the upgrade to per-document access"


def everyone_on_every_document(apps, schema_editor):
    Document = apps.get_model("drafting", "Document")
    Member = apps.get_model("drafting", "Member")
    DocumentAccess = apps.get_model("drafting", "DocumentAccess")
    HistoricalDocumentAccess = apps.get_model("drafting", "HistoricalDocumentAccess")
    now = django.utils.timezone.now()
    roles = {"drafter": "drafter", "reviewer": "reviewer", "admin": "reviewer"}
    for document in Document.objects.all():
        for member in Member.objects.filter(user__is_active=True):
            row = DocumentAccess.objects.create(document=document, member=member, role=roles[member.role])
            HistoricalDocumentAccess.objects.create(
                id=row.pk, document_id=document.pk, member_id=member.pk, role=row.role, history_date=now,
                history_type="+", history_change_reason=UPGRADE_REASON,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0007_two_factor_sessions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='marking',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='historicaldocument',
            name='marking',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.CreateModel(
            name='ExportEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('docx', 'Word (comparison)'), ('markdown', 'Markdown'), ('csv', 'CSV (disposition table)'), ('xlsx', 'XLSX (disposition table)')], max_length=10)),
                ('version', models.CharField(help_text='The version (or the two versions compared) exported.', max_length=300)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exports', to='drafting.document')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='drafting.member')),
            ],
            options={
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DocumentAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('drafter', 'Drafter'), ('reviewer', 'Reviewer'), ('reader', 'Reader')], max_length=10)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access', to='drafting.document')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='document_access', to='drafting.member')),
            ],
            options={
                'ordering': ['member__full_name'],
                'constraints': [models.UniqueConstraint(fields=('document', 'member'), name='one_access_row_per_member')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDocumentAccess',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('drafter', 'Drafter'), ('reviewer', 'Reviewer'), ('reader', 'Reader')], max_length=10)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField()),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('document', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='drafting.document')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='drafting.member')),
            ],
            options={
                'verbose_name': 'historical document access',
                'verbose_name_plural': 'historical document accesss',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
                'indexes': [models.Index(fields=['history_date', 'id'], name='drafting_hi_history_c617cd_idx')],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(everyone_on_every_document, migrations.RunPython.noop),
    ]
