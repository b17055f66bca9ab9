import json

from django.core.management.base import BaseCommand, CommandError

from assessments.models import AssessmentKind, Campaign
from assessments.services import subject_lookup
from assessments.summary import summarize
from municipalities.models import Region, Role, User, normalize_name


class Command(BaseCommand):
    help = "Сводка результатов по муниципалитетам или школам."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--by", choices=["municipality", "school"], default="municipality")
        parser.add_argument("--subject")
        parser.add_argument("--grade", type=int)
        parser.add_argument("--region", help="Код региона (по умолчанию — все регионы).")
        parser.add_argument("--json", action="store_true")

    def handle(self, kind, year, by, subject=None, grade=None, json=False, region=None, **options):
        if kind not in AssessmentKind.values:
            raise CommandError(f"--kind {kind}: ожидается одно из {', '.join(AssessmentKind.values)}.")
        campaigns = (
            Campaign.objects.filter(kind=kind, year=year).select_related("subject").order_by("region", "pk")
        )
        if region:
            if not Region.objects.filter(code=region).exists():
                raise CommandError(f"--region {region}: такого региона нет.")
            campaigns = campaigns.filter(region__code=region)
        if subject:
            found = subject_lookup().get(normalize_name(subject))
            if found is None:
                raise CommandError(f"Предмет «{subject}» не найден.")
            campaigns = campaigns.filter(subject=found)
        if grade:
            campaigns = campaigns.filter(grade=grade)
        reader = User(
            role=Role.FEDERAL, is_active=True
        )  # an unsaved federal observer: every region, read-only
        rows = []
        for campaign in campaigns:
            found_rows, _ = summarize(campaign, by=by, user=reader)
            rows.extend(r.as_json(campaign) for r in found_rows)
        if json:
            self.stdout.write(_dumps(rows))
            return
        for r in rows:
            self.stdout.write(f"{r['code']:>6} {r['name'][:40]:<40} {r['subject'][:20]:<20} {r['participants']:>6} "
                              f"{r['mean_score'] if r['mean_score'] is not None else '—':>7} {r['below_min_pct'] or 0:>6}")  # fmt: skip


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
