# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""Small word lists for the synthetic forms: names, places, banks and field labels.

Names and addresses are Estonian (in the Latin script) on forms in every language, as they are
on real forms of the office; Russian-speaking residents' names are in the Latin script too.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("est", "rus", "eng")

FEMALE_EST = (
    "Mari", "Kadri", "Liis", "Tiina", "Maie", "Ülle", "Õie", "Eha", "Küllike", "Malle",
    "Pille", "Triin", "Kätlin", "Merike", "Sirje", "Helgi", "Anneli", "Reet", "Tuuli", "Elo",
)  # fmt: skip
MALE_EST = (
    "Jaan", "Peeter", "Toomas", "Mart", "Rein", "Tõnu", "Jüri", "Ülo", "Märt", "Andres",
    "Priit", "Indrek", "Tõnis", "Ants", "Heino", "Aivar", "Kalju", "Lembit", "Mihkel", "Sander",
)  # fmt: skip
SURNAMES_EST = (
    "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel",
    "Lõhmus", "Männik", "Põder", "Järv", "Kõiv", "Raudsepp", "Rätsep", "Õunapuu", "Jõgi",
    "Mölder", "Tõnisson", "Küüsmaa", "Karu", "Lepik", "Vaher", "Oja", "Kivi", "Nõmm", "Sõmer",
)  # fmt: skip
FEMALE_RUS = (
    "Jelena", "Tatjana", "Svetlana", "Olga", "Natalja", "Irina", "Žanna", "Ljudmila", "Galina",
)  # fmt: skip
MALE_RUS = (
    "Sergei", "Aleksandr", "Dmitri", "Andrei", "Vladimir", "Igor", "Nikolai", "Juri", "Oleg",
)  # fmt: skip
# Masculine form; the feminine adds "a".
SURNAMES_RUS = (
    "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vassiljev", "Petrov", "Sokolov", "Mihhailov",
    "Fjodorov", "Volkov", "Aleksejev", "Lebedev",
)  # fmt: skip

STREETS = (
    "Pikk", "Lai", "Tartu mnt", "Pärnu mnt", "Narva mnt", "Jõe", "Kooli", "Aia", "Mere",
    "Põllu", "Metsa", "Kesk", "Vabaduse pst", "Rüütli", "Lõuna", "Männi", "Kase", "Tähe",
    "Ülikooli", "Vee", "Sõpruse pst", "Õie", "Jaama", "Kalda",
)  # fmt: skip
TOWNS = (
    ("Rakvere", "Lääne-Virumaa"), ("Tallinn", "Harjumaa"), ("Tartu", "Tartumaa"),
    ("Pärnu", "Pärnumaa"), ("Narva", "Ida-Virumaa"), ("Jõhvi", "Ida-Virumaa"),
    ("Viljandi", "Viljandimaa"), ("Võru", "Võrumaa"), ("Põlva", "Põlvamaa"),
    ("Haapsalu", "Läänemaa"), ("Kuressaare", "Saaremaa"), ("Paide", "Järvamaa"),
    ("Jõgeva", "Jõgevamaa"), ("Rapla", "Raplamaa"), ("Valga", "Valgamaa"),
    ("Kärdla", "Hiiumaa"), ("Türi", "Järvamaa"), ("Kohtla-Järve", "Ida-Virumaa"),
    ("Sillamäe", "Ida-Virumaa"), ("Otepää", "Valgamaa"), ("Tapa", "Lääne-Virumaa"),
)  # fmt: skip
# Bank code in the IBAN, and the bank's name.
BANKS = (("22", "Swedbank"), ("10", "SEB Pank"), ("77", "LHV Pank"), ("17", "Luminor Bank"),
         ("42", "Coop Pank"))  # fmt: skip
INSTITUTIONS = (
    "Rakvere Haigla", "Tartu Ülikooli Kliinikum", "Pärnu Haigla", "Ida-Viru Keskhaigla",
    "Lääne-Tallinna Keskhaigla", "Põhja-Eesti Regionaalhaigla", "Lõuna-Eesti Haigla",
    "Jõgeva Perearstikeskus", "Viljandi Haigla", "Järvamaa Haigla",
)  # fmt: skip
DIAGNOSES = ("M54.5", "I10", "E11.9", "F32.1", "G35", "M17.1", "I63.9", "J44.9", "C50.9", "G20")

OFFICE = {
    "est": "Sotsiaalkindlustusamet",
    "rus": "Департамент социального страхования",
    "eng": "Social Insurance Board",
}
SIGNATURE = {"est": "Allkiri:", "rus": "Подпись:", "eng": "Signature:"}
# Page marker at the foot of each page of a multi-page document: page number, page count.
PAGE_MARKER = {
    "est": "Lk {page}/{pages}",
    "rus": "Стр. {page}/{pages}",
    "eng": "Page {page}/{pages}",
}

# Field labels; the person code label is what the field extractor looks for.
FIELD_LABELS: Mapping[str, Mapping[str, str]] = {
    "name": {"est": "Nimi", "rus": "Имя, фамилия", "eng": "Name"},
    "code": {"est": "Isikukood", "rus": "Личный код", "eng": "Personal code"},
    "address": {"est": "Aadress", "rus": "Адрес", "eng": "Address"},
    "phone": {"est": "Telefon", "rus": "Телефон", "eng": "Telephone"},
    "email": {"est": "E-post", "rus": "Эл. почта", "eng": "E-mail"},
    "iban": {"est": "Arvelduskonto (IBAN)", "rus": "Расчётный счёт (IBAN)",
             "eng": "Bank account (IBAN)"},
    "old_iban": {"est": "Senine arvelduskonto", "rus": "Прежний счёт",
                 "eng": "Previous account"},
    "bank": {"est": "Pank", "rus": "Банк", "eng": "Bank"},
    "start_date": {"est": "Soovin pensioni alates", "rus": "Прошу назначить пенсию с",
                   "eng": "Pension requested from"},
    "valid_until": {"est": "Volikiri kehtib kuni", "rus": "Доверенность действительна до",
                    "eng": "Valid until"},
    "institution": {"est": "Tervishoiuasutus", "rus": "Медицинское учреждение",
                    "eng": "Health care provider"},
    "doctor": {"est": "Arst", "rus": "Врач", "eng": "Physician"},
    "doctor_code": {"est": "Arsti registreerimiskood", "rus": "Регистрационный код врача",
                    "eng": "Physician registration code"},
    "diagnosis": {"est": "Diagnoos (RHK-10)", "rus": "Диагноз (МКБ-10)",
                  "eng": "Diagnosis (ICD-10)"},
    "date": {"est": "Kuupäev", "rus": "Дата", "eng": "Date"},
}  # fmt: skip

SECTION_LABELS: Mapping[str, Mapping[str, str]] = {
    "applicant": {"est": "Taotleja andmed", "rus": "Данные заявителя", "eng": "Applicant"},
    "representative": {"est": "Esindaja andmed", "rus": "Данные представителя",
                       "eng": "Representative"},
    "child": {"est": "Lapse andmed", "rus": "Данные ребёнка", "eng": "Child"},
    "principal": {"est": "Volitaja", "rus": "Доверитель", "eng": "Principal"},
    "attorney": {"est": "Volitatud isik", "rus": "Доверенное лицо", "eng": "Authorised person"},
    "patient": {"est": "Patsiendi andmed", "rus": "Данные пациента", "eng": "Patient"},
    "pension": {"est": "Pensioni andmed", "rus": "Сведения о пенсии", "eng": "Pension"},
    "payment": {"est": "Väljamakse andmed", "rus": "Данные для выплаты",
                "eng": "Payment details"},
    "authority": {"est": "Volituse andmed", "rus": "Сведения о полномочиях",
                  "eng": "Authorisation"},
    "certificate": {"est": "Tõendi väljastaja", "rus": "Выдавший справку", "eng": "Issued by"},
    "account": {"est": "Arvelduskonto muutmine", "rus": "Изменение счёта",
                "eng": "Change of account"},
    "notes": {"est": "Lisainfo", "rus": "Дополнительная информация",
              "eng": "Further information"},
}  # fmt: skip
