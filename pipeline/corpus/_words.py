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


def _per_language(rows: Mapping[str, tuple[str, str, str]]) -> Mapping[str, Mapping[str, str]]:
    """Key each row's texts, given in the order of `LANGUAGES`, by their language."""
    return {key: dict(zip(LANGUAGES, texts, strict=True)) for key, texts in rows.items()}


# Field labels (Estonian, Russian, English); the person code label is what the field extractor
# looks for.
FIELD_LABELS = _per_language({
    "name": ("Nimi", "Имя, фамилия", "Name"),
    "code": ("Isikukood", "Личный код", "Personal code"),
    "address": ("Aadress", "Адрес", "Address"),
    "phone": ("Telefon", "Телефон", "Telephone"),
    "email": ("E-post", "Эл. почта", "E-mail"),
    "iban": ("Arvelduskonto (IBAN)", "Расчётный счёт (IBAN)", "Bank account (IBAN)"),
    "old_iban": ("Senine arvelduskonto", "Прежний счёт", "Previous account"),
    "bank": ("Pank", "Банк", "Bank"),
    "start_date": ("Soovin pensioni alates", "Прошу назначить пенсию с",
                   "Pension requested from"),
    "valid_until": ("Volikiri kehtib kuni", "Доверенность действительна до", "Valid until"),
    "institution": ("Tervishoiuasutus", "Медицинское учреждение", "Health care provider"),
    "doctor": ("Arst", "Врач", "Physician"),
    "doctor_code": ("Arsti registreerimiskood", "Регистрационный код врача",
                    "Physician registration code"),
    "diagnosis": ("Diagnoos (RHK-10)", "Диагноз (МКБ-10)", "Diagnosis (ICD-10)"),
    "date": ("Kuupäev", "Дата", "Date"),
    # Death certificates.
    "death_date": ("Surmaaeg", "Дата смерти", "Date of death"),
    "death_place": ("Surmakoht", "Место смерти", "Place of death"),
    "record_number": ("Surmakande number", "Номер актовой записи", "Record number"),
    "record_date": ("Kande kuupäev", "Дата составления записи", "Date of registration"),
    "registry_office": ("Väljaandja", "Выдавший орган", "Issuing authority"),
    "relationship": ("Seos surnuga", "Степень родства", "Relationship to the deceased"),
    # EU social security forms.
    "eu_institution": ("Pädev asutus", "Компетентное учреждение", "Competent institution"),
    "institution_id": ("Asutuse tunnuskood", "Идентификационный код учреждения",
                       "Institution ID"),
    "member_state": ("Liikmesriik", "Государство-член", "Member State"),
    "cover_basis": ("Õiguse alus", "Основание права", "Entitlement based on"),
    "cover_from": ("Kehtib alates", "Действует с", "Valid from"),
    "cover_to": ("Kehtib kuni", "Действует по", "Valid to"),
    "pension_kind": ("Pensioni liik", "Вид пенсии", "Type of pension"),
    "decision_date": ("Otsuse kuupäev", "Дата решения", "Date of decision"),
    "pension_amount": ("Pensioni suurus kuus", "Размер пенсии в месяц", "Monthly amount"),
    "employer": ("Tööandja", "Работодатель", "Employer"),
    "work_state": ("Töötamise riik", "Государство работы", "State of work"),
    "last_day": ("Viimane tööpäev", "Последний рабочий день", "Last day of work"),
    # Letters, invoices, bills and receipts.
    "subject": ("Teema", "Тема", "Subject"),
    "seller": ("Müüja", "Продавец", "Seller"),
    "reg_code": ("Registrikood", "Регистрационный код", "Registry code"),
    "buyer": ("Ostja", "Покупатель", "Buyer"),
    "customer": ("Klient", "Клиент", "Customer"),
    "customer_address": ("Tarbimiskoha aadress", "Адрес потребления", "Supply address"),
    "customer_number": ("Kliendi number", "Номер клиента", "Customer number"),
    "billing_period": ("Arveldusperiood", "Расчётный период", "Billing period"),
    "due_date": ("Maksetähtaeg", "Срок оплаты", "Due date"),
    "reference": ("Viitenumber", "Номер ссылки", "Reference number"),
    "total": ("Tasuda kokku", "Итого к оплате", "Total due"),
    "payer": ("Maksja", "Плательщик", "Payer"),
    "amount": ("Summa", "Сумма", "Amount"),
    "purpose": ("Makse selgitus", "Назначение платежа", "Payment details"),
})  # fmt: skip

# Section headings (Estonian, Russian, English).
SECTION_LABELS = _per_language({
    "applicant": ("Taotleja andmed", "Данные заявителя", "Applicant"),
    "representative": ("Esindaja andmed", "Данные представителя", "Representative"),
    "child": ("Lapse andmed", "Данные ребёнка", "Child"),
    "principal": ("Volitaja", "Доверитель", "Principal"),
    "attorney": ("Volitatud isik", "Доверенное лицо", "Authorised person"),
    "patient": ("Patsiendi andmed", "Данные пациента", "Patient"),
    "pension": ("Pensioni andmed", "Сведения о пенсии", "Pension"),
    "payment": ("Väljamakse andmed", "Данные для выплаты", "Payment details"),
    "authority": ("Volituse andmed", "Сведения о полномочиях", "Authorisation"),
    "certificate": ("Tõendi väljastaja", "Выдавший справку", "Issued by"),
    "account": ("Arvelduskonto muutmine", "Изменение счёта", "Change of account"),
    "notes": ("Lisainfo", "Дополнительная информация", "Further information"),
    "deceased": ("Surnu andmed", "Данные умершего", "Deceased person"),
    "informant": ("Surmast teataja", "Лицо, сообщившее о смерти", "Informant"),
    "registration": ("Surma registreerimine", "Регистрация смерти", "Registration of death"),
    "insured": ("Kindlustatud isik", "Застрахованное лицо", "Insured person"),
    "competent": ("Pädeva asutuse andmed", "Сведения о компетентном учреждении",
                  "Competent institution"),
    "cover": ("Õigus tervishoiuteenustele", "Право на медицинское обслуживание",
              "Healthcare entitlement"),
    "employment": ("Töötamise andmed", "Сведения о работе", "Employment"),
    "periods": ("Kindlustusperioodid", "Периоды страхования", "Insurance periods"),
    "sender": ("Saatja", "Отправитель", "Sender"),
    "invoice": ("Arve andmed", "Данные счёта", "Invoice details"),
    "receipt": ("Makse andmed", "Данные платежа", "Payment"),
    "attached": ("Lisatud dokumendid", "Приложенные документы", "Enclosed documents"),
    "matter": ("Pöördumise sisu", "Суть обращения", "Matter"),
    "client": ("Kliendi andmed", "Данные клиента", "Client"),
})  # fmt: skip

# What each section key that names a person says about that person, in the truth: the
# applicant (or the person the document is about), a representative, a child or the deceased.
PERSON_ROLES = {
    "applicant": "applicant",
    "principal": "applicant",
    "patient": "applicant",
    "insured": "applicant",
    "informant": "applicant",
    "sender": "applicant",
    "client": "applicant",
    "representative": "representative",
    "attorney": "representative",
    "child": "child",
    "deceased": "deceased",
}

# Tables on forms (header cells, Estonian, Russian, English), and what their cells hold.
TABLE_HEADERS: Mapping[str, Mapping[str, tuple[str, str, str]]] = {
    "periods": {"est": ("Algus", "Lõpp", "Riik"), "rus": ("Начало", "Конец", "Страна"),
                "eng": ("From", "Until", "Country")},
    "payments": {"est": ("Kuu", "Summa (EUR)", "Makse liik"),
                 "rus": ("Месяц", "Сумма (EUR)", "Вид выплаты"),
                 "eng": ("Month", "Amount (EUR)", "Payment")},
    "attachments": {"est": ("Nr", "Dokument", "Lehti"), "rus": ("№", "Документ", "Листов"),
                    "eng": ("No.", "Document", "Pages")},
}  # fmt: skip
COUNTRIES = _per_language({
    "ee": ("Eesti", "Эстония", "Estonia"),
    "fi": ("Soome", "Финляндия", "Finland"),
    "lv": ("Läti", "Латвия", "Latvia"),
    "se": ("Rootsi", "Швеция", "Sweden"),
    "de": ("Saksamaa", "Германия", "Germany"),
    "no": ("Norra", "Норвегия", "Norway"),
})  # fmt: skip
PAYMENT_KINDS = _per_language({
    "pension": ("vanaduspension", "пенсия", "pension"),
    "benefit": ("peretoetus", "пособие", "benefit"),
    "allowance": ("hooldustoetus", "компенсация", "allowance"),
})  # fmt: skip
ATTACHMENTS = _per_language({
    "medical": ("Arstitõend", "Медицинская справка", "Medical certificate"),
    "attorney": ("Volikiri", "Доверенность", "Power of attorney"),
    "work": ("Töötõend", "Справка с места работы", "Employment certificate"),
    "bank": ("Konto väljavõte", "Выписка со счёта", "Bank statement"),
    "identity": ("Isikut tõendav dokument", "Удостоверение личности", "Identity document"),
})  # fmt: skip

# What the informant of a death is to the deceased.
RELATIONSHIPS = _per_language({
    "spouse": ("abikaasa", "супруг(а)", "spouse"),
    "daughter": ("tütar", "дочь", "daughter"),
    "son": ("poeg", "сын", "son"),
    "sister": ("õde", "сестра", "sister"),
    "brother": ("vend", "брат", "brother"),
    "grandchild": ("lapselaps", "внук (внучка)", "grandchild"),
})  # fmt: skip
# Offices of the vital statistics registration that issue death certificates.
REGISTRY_OFFICES = (
    "Tallinna Perekonnaseisuamet", "Tartu Linnavalitsus", "Pärnu Linnavalitsus",
    "Narva Linnavalitsus", "Rakvere Vallavalitsus", "Viljandi Linnavalitsus",
    "Jõhvi Vallavalitsus", "Saaremaa Vallavalitsus", "Siseministeerium",
)  # fmt: skip
# Social security institutions of EU and EEA states: state code and name.
EU_INSTITUTIONS = (
    ("ee", "Sotsiaalkindlustusamet"), ("ee", "Eesti Haigekassa"), ("ee", "Eesti Töötukassa"),
    ("fi", "Kela"), ("fi", "Eläketurvakeskus"), ("lv", "Valsts sociālās apdrošināšanas aģentūra"),
    ("se", "Försäkringskassan"), ("de", "Deutsche Rentenversicherung Bund"),
    ("no", "Arbeids- og velferdsetaten (NAV)"),
)  # fmt: skip
COVER_BASES = _per_language({
    "employment": ("töötamine", "работа по найму", "employment"),
    "pension": ("pension", "пенсия", "pension"),
    "frontier": ("piiriülene töötamine", "работа приграничного работника", "frontier work"),
})  # fmt: skip
PENSION_KINDS = _per_language({
    "old_age": ("vanaduspension", "пенсия по старости", "old-age pension"),
    "survivor": ("toitjakaotuspension", "пенсия по потере кормильца", "survivor's pension"),
    "invalidity": ("töövõimetuspension", "пенсия по нетрудоспособности", "invalidity pension"),
})  # fmt: skip
EMPLOYERS = (
    "Rakvere Lihakombinaat AS", "Tallinna Sadam AS", "Nordic Construction OÜ",
    "Baltic Logistics OÜ", "Fortum Eesti AS", "Viru Keemia Grupp AS", "Merko Ehitus AS",
    "Helsingin Rakennus Oy", "Stockholms Bygg AB",
)  # fmt: skip
# Sellers on invoices and receipts, and utility companies on bills.
SELLERS = (
    "Abivahendikeskus OÜ", "Taastusravi Keskus OÜ", "Kodumasinate Remont OÜ", "Medicum AS",
    "Invaru OÜ", "Liikumisabi OÜ", "Hooldekodu Päikesekiir OÜ", "Kuulmiskeskus AS",
)  # fmt: skip
UTILITIES = (
    "Eesti Energia AS", "Elektrum Eesti OÜ", "Tallinna Vesi AS", "Alexela AS",
    "Imatra Elekter AS", "Tartu Veevärk AS", "Gaasivõrk AS", "Telia Eesti AS",
)  # fmt: skip
INVOICE_HEADERS = {
    "est": ("Teenus", "Kogus", "Summa (EUR)"),
    "rus": ("Услуга", "Кол-во", "Сумма (EUR)"),
    "eng": ("Service", "Qty", "Amount (EUR)"),
}
INVOICE_ITEMS = _per_language({
    "physio": ("Füsioteraapia", "Физиотерапия", "Physiotherapy"),
    "wheelchair": ("Ratastooli rent", "Аренда коляски", "Wheelchair rental"),
    "massage": ("Massaaž", "Массаж", "Massage"),
    "transport": ("Transporditeenus", "Транспорт", "Transport"),
    "hearing": ("Kuuldeaparaadi hooldus", "Ремонт слухового аппарата", "Hearing aid service"),
    "nursing": ("Koduõendus", "Уход на дому", "Home nursing"),
})  # fmt: skip
PURPOSES = _per_language({
    "rent": ("Üür", "Арендная плата", "Rent"),
    "care_home": ("Hoolduskodu kohatasu", "Плата за место в доме ухода", "Care home fee"),
    "medicines": ("Ravimite eest", "Оплата лекарств", "Payment for medicines"),
    "membership": ("Ühistu liikmemaks", "Членский взнос товарищества",
                   "Association membership fee"),
    "aid": ("Abivahendi omaosalus", "Доля оплаты вспомогательного средства",
            "Assistive device co-payment"),
})  # fmt: skip
SUBJECTS = _per_language({
    "payment": ("Pensioni väljamakse", "Выплата пенсии", "Pension payment"),
    "documents": ("Dokumentide esitamine", "Представление документов",
                  "Submission of documents"),
    "benefit": ("Küsimus toetuse kohta", "Вопрос о пособии", "Question about a benefit"),
    "address": ("Elukoha muutus", "Изменение места жительства", "Change of residence"),
    "statement": ("Väljavõtte taotlemine", "Запрос выписки", "Request for a statement"),
})  # fmt: skip
