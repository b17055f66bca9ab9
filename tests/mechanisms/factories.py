"""A small monitoring for tests: two directions with two required documents each, in the personas' region."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mechanisms.models import Direction, RequiredDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def small_monitoring(people) -> list[RequiredDocument]:
    region = people.mun_a.region
    required = []
    for number, (name, short) in enumerate([("Система работы со школами с низкими результатами", "ШНОР"),
                                            ("Система организации воспитания", "Воспитание")], start=1):  # fmt: skip
        direction = Direction.objects.create(region=region, number=number, name=name, short_name=short)
        for doc_number, doc_name in enumerate(["Положение", "Цели и показатели"], start=1):
            required.append(
                RequiredDocument.objects.create(direction=direction, number=doc_number, name=doc_name)
            )
    return required


def pdf(name: str = "Положение.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
