from django.db import migrations, models

FREQUENCIES = [
    ("immediate", "Each notification by email, at once"),
    ("daily", "A daily digest by email"),
    ("weekly", "A weekly digest by email, on Mondays"),
    ("none", "No email: the inbox only"),
]


def boolean_to_frequency(apps, schema_editor):
    # Email on meant each notification at once, which is what "immediate" keeps doing; off meant none.
    for name in ("Member", "HistoricalMember"):
        model = apps.get_model("drafting", name)
        model.objects.filter(email_notifications=False).update(email_frequency="none")


def frequency_to_boolean(apps, schema_editor):
    # Back to the boolean: a digest member wanted email, so email goes on for them (at once, the only kind left).
    for name in ("Member", "HistoricalMember"):
        model = apps.get_model("drafting", name)
        model.objects.filter(email_frequency="none").update(email_notifications=False)


class Migration(migrations.Migration):
    """Member.email_notifications (on/off) becomes Member.email_frequency (immediate, daily, weekly, none), with
    last_digest_at beside it: the boolean is moved, not kept, so one field says whether and how a member is told."""

    dependencies = [
        ("drafting", "0013_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="email_frequency",
            field=models.CharField(choices=FREQUENCIES, default="immediate", max_length=10, verbose_name="email frequency"),
        ),
        migrations.AddField(
            model_name="historicalmember",
            name="email_frequency",
            field=models.CharField(choices=FREQUENCIES, default="immediate", max_length=10, verbose_name="email frequency"),
        ),
        migrations.AddField(
            model_name="member",
            name="last_digest_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last digest sent at"),
        ),
        migrations.AddField(
            model_name="historicalmember",
            name="last_digest_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last digest sent at"),
        ),
        migrations.RunPython(boolean_to_frequency, frequency_to_boolean),
        migrations.RemoveField(model_name="member", name="email_notifications"),
        migrations.RemoveField(model_name="historicalmember", name="email_notifications"),
    ]
