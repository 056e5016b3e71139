"""Participant identities: one person per document, found again by name or document number."""

from instancias_desktop.domain.entities import Person
from instancias_desktop.domain.text import fold
from instancias_desktop.domain.validation import normalize_document_number


def person_key(person: Person) -> str:
    """The folded text a person is searched by: name and document number."""
    return search_key(person.full_name, person.document_number)


def search_key(full_name: str, document_number: str) -> str:
    """Accent- and case-free 'name number', so 'nunez 4567' finds 'Núñez … 45678912'."""
    return fold(f"{full_name} {normalize_document_number(document_number)}")
