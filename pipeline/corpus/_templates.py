# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""Document templates: title, sections and body paragraphs per document type and language.

Each document type covers several kinds of document (`TEMPLATES`): the six forms of the
office and the death certificate come in the office's (or the register's) own wording and in
another, as clients and other issuers write them (`_wordings`); an EU social security form is
one of S1, P1, U1, A1 and E 205, and "other" is a letter, a cover note, an invoice, a utility
bill or a receipt.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.corpus import _words
from pipeline.corpus._template import Template, Texts, same
from pipeline.corpus._wordings import OTHER_WORDINGS


def _joined(*parts: Texts) -> Texts:
    """Join per-language texts, part after part."""
    return {language: tuple(t for part in parts for t in part[language]) for language in parts[0]}


# The common declarations above the signature. Each Estonian one carries all of õ ä ö ü š ž,
# so every Estonian document exercises the OCR on the letters that matter most.
DECLARATIONS: Texts = {
    "est": (
        "Kinnitan, et esitatud andmed, sh töötasu ja välisriigist saadud tulu, on õiged ja "
        "täielikud. Olen teadlik, et alusetult makstud summa nõutakse tagasi. Lisatud "
        "maksetšekid ja massaažiteenuse arved ühtivad originaalidega.",
        "Olen teadlik, et pean teavitama ametit kümne päeva jooksul, kui muutuvad avalduses "
        "esitatud andmed, näiteks elukoht, töötamine Šveitsis või mõnes teises riigis, "
        "tšekiga makstav toetus või "
        "garaažiühistust saadav üüritulu.",
        "Nõustun, et amet töötleb minu isikuandmeid avalduse lahendamiseks ning küsib vajadusel "
        "andmeid teistelt asutustelt, sh Tšehhi ja Šveitsi pädevatelt asutustelt. "
        "Rehabilitatsiooni- ja massaažikulude tõendid lisan eraldi.",
    ),
    "rus": (
        "Подтверждаю, что представленные сведения верны и полны. Мне известно, что "
        "необоснованно выплаченная сумма подлежит возврату.",
        "Обязуюсь в течение десяти дней сообщить в департамент об изменении сведений, "
        "указанных в заявлении, например места жительства или работы за границей.",
        "Согласен(на) на обработку моих персональных данных для рассмотрения заявления и на "
        "запрос сведений из других учреждений, в том числе из-за рубежа.",
    ),
    "eng": (
        "I confirm that the information given is correct and complete. I understand that any "
        "amount paid without legal grounds will be reclaimed.",
        "I undertake to inform the Board within ten days of any change in the information "
        "given in this application, such as my residence or work abroad.",
        "I consent to the processing of my personal data for handling this application and to "
        "information being requested from other institutions, including those abroad.",
    ),
}

# Paragraphs that fit any document type; they fill the later pages of long documents.
GENERAL: Texts = {
    "est": (
        "Avalduse saab esitada iseteeninduses, e-posti teel digitaalselt allkirjastatuna, "
        "posti teel või klienditeenindusse tulles. Paberil esitatud avaldus skannitakse ja "
        "originaal tagastatakse kliendile.",
        "Sotsiaalkindlustusamet töötleb avalduses esitatud isikuandmeid seaduses sätestatud "
        "ülesannete täitmiseks. Andmeid säilitatakse arhiivieeskirjas määratud tähtaja jooksul.",
        "Kui avalduses on puudusi, annab amet nende kõrvaldamiseks tähtaja. Tähtaja jooksul "
        "puuduste kõrvaldamata jätmisel võidakse avaldus jätta läbi vaatamata.",
        "Otsuse peale võib esitada vaide kolmekümne päeva jooksul, arvates päevast, mil isik "
        "otsusest teada sai või oleks pidanud teada saama.",
        "Lisainfot saab ameti infotelefonil, veebilehel ja klienditeenindustes üle Eesti. "
        "Palun hoidke esitatud dokumentide koopiad endale alles.",
    ),
    "rus": (
        "Заявление можно подать в самообслуживании, по электронной почте с цифровой подписью, "
        "по почте или в бюро обслуживания. Бумажное заявление сканируется, а оригинал "
        "возвращается клиенту.",
        "Департамент обрабатывает указанные в заявлении персональные данные для выполнения "
        "установленных законом задач. Данные хранятся в течение срока, определённого "
        "архивными правилами.",
        "Если в заявлении есть недостатки, департамент назначает срок для их устранения. Если "
        "недостатки не устранены в срок, заявление может быть оставлено без рассмотрения.",
        "Решение можно обжаловать в течение тридцати дней со дня, когда лицо узнало или "
        "должно было узнать о решении.",
        "Дополнительную информацию можно получить по справочному телефону, на сайте и в бюро "
        "обслуживания по всей Эстонии. Пожалуйста, сохраните копии поданных документов.",
    ),
    "eng": (
        "The application can be submitted in the self-service portal, by e-mail with a "
        "digital signature, by post or at a customer service office. A paper application is "
        "scanned and the original is returned to the client.",
        "The Social Insurance Board processes the personal data given in the application to "
        "perform its duties under the law. The data are kept for the period set in the "
        "archival rules.",
        "If the application is incomplete, the Board sets a time limit for completing it. If "
        "it is not completed in time, the application may be left unprocessed.",
        "A challenge against the decision may be filed within thirty days of the day on which "
        "the person learned or should have learned of the decision.",
        "Further information is available on the helpline, on the website and at customer "
        "service offices across Estonia. Please keep copies of the documents you submit.",
    ),
}

_PAYMENT = ("payment", ("iban", "bank"))

_FORMS: Mapping[str, Template] = {
    "pension_application": Template(
        titles={
            "est": ("AVALDUS VANADUSPENSIONI MÄÄRAMISEKS",),
            "rus": ("ЗАЯВЛЕНИЕ О НАЗНАЧЕНИИ ПЕНСИИ ПО СТАРОСТИ",),
            "eng": ("APPLICATION FOR OLD-AGE PENSION",),
        },
        roles=("applicant", "representative"),
        default_persons=1,
        sections=(("pension", ("start_date",)), _PAYMENT),
        paragraphs={
            "est": (
                "Palun määrata mulle vanaduspension alates pensioniealiseks saamise päevast. "
                "Olen teadlik, et pension makstakse välja igakuiselt minu näidatud "
                "arvelduskontole.",
                "Varem olen töötanud ka välisriigis. Palun arvestada pensioni määramisel "
                "välisriigis täitunud kindlustusperioode ning küsida vajalikud andmed pädevalt "
                "asutuselt.",
                "Soovin, et pensioni määramise otsus saadetaks mulle e-posti teel. Kui e-posti "
                "aadress ei ole kasutatav, palun saata otsus posti teel elukoha aadressile.",
            ),
            "rus": (
                "Прошу назначить мне пенсию по старости со дня достижения пенсионного "
                "возраста. Мне известно, что пенсия выплачивается ежемесячно на указанный "
                "мной расчётный счёт.",
                "Ранее я работал(а) также в другом государстве. Прошу учесть при назначении "
                "пенсии периоды страхования, накопленные за границей, и запросить необходимые "
                "сведения у компетентного учреждения.",
                "Прошу направить решение о назначении пенсии по электронной почте. Если "
                "электронный адрес недоступен, прошу выслать решение по почте на адрес места "
                "жительства.",
            ),
            "eng": (
                "I ask to be granted the old-age pension from the day I reach pensionable age. "
                "I understand that the pension is paid monthly to the bank account I have "
                "given.",
                "I have also worked in another country. Please take into account the insurance "
                "periods completed abroad and request the necessary information from the "
                "competent institution.",
                "I would like the decision to be sent to me by e-mail. If the e-mail address "
                "cannot be used, please send the decision by post to my residential address.",
            ),
        },
    ),
    "family_benefit_application": Template(
        titles={
            "est": ("AVALDUS PERETOETUSTE MÄÄRAMISEKS",),
            "rus": ("ЗАЯВЛЕНИЕ О НАЗНАЧЕНИИ СЕМЕЙНЫХ ПОСОБИЙ",),
            "eng": ("APPLICATION FOR FAMILY BENEFITS",),
        },
        roles=("applicant", "child"),
        default_persons=2,
        sections=(_PAYMENT,),
        paragraphs={
            "est": (
                "Palun määrata mulle lapsetoetus ja muud peretoetused, millele mul on õigus. "
                "Laps elab minuga samas leibkonnas ning tema elukoht rahvastikuregistris on "
                "minu elukohaga sama.",
                "Olen teadlik, et toetust makstakse lapse kuni 16-aastaseks saamiseni ning "
                "õppimise korral kauem. Teavitan ametit viivitamata, kui lapse elukoht või "
                "õppimine muutub.",
                "Lasterikka pere toetuse saamiseks kinnitan, et kasvatan peres vähemalt kolme "
                "last. Palun arvestada ka last, kes õpib üldhariduskoolis või "
                "kutseõppeasutuses.",
            ),
            "rus": (
                "Прошу назначить мне пособие на ребёнка и другие семейные пособия, на которые "
                "я имею право. Ребёнок проживает со мной одним домохозяйством, его место "
                "жительства в регистре народонаселения совпадает с моим.",
                "Мне известно, что пособие выплачивается до достижения ребёнком 16 лет, а в "
                "случае обучения дольше. Обязуюсь немедленно сообщить об изменении места "
                "жительства или учёбы ребёнка.",
                "Для получения пособия многодетной семье подтверждаю, что в семье "
                "воспитываются не менее трёх детей, в том числе ребёнок, который учится в "
                "общеобразовательной школе или профессиональном училище.",
            ),
            "eng": (
                "I apply for the child allowance and other family benefits to which I am "
                "entitled. The child lives in the same household with me and is registered at "
                "my address in the population register.",
                "I understand that the allowance is paid until the child turns 16, or longer "
                "while the child is in education. I will inform the Board without delay if the "
                "child's residence or studies change.",
                "For the large family allowance, I confirm that at least three children are "
                "raised in my family, including a child who studies at a general education "
                "school or a vocational school.",
            ),
        },
    ),
    "disability_assessment_application": Template(
        titles={
            "est": ("TAOTLUS PUUDE RASKUSASTME TUVASTAMISEKS",),
            "rus": ("ЗАЯВЛЕНИЕ ОБ УСТАНОВЛЕНИИ СТЕПЕНИ ИНВАЛИДНОСТИ",),
            "eng": ("APPLICATION FOR DISABILITY ASSESSMENT",),
        },
        roles=("applicant", "representative"),
        default_persons=1,
        sections=(("certificate", ("institution", "doctor")), _PAYMENT),
        paragraphs={
            "est": (
                "Palun tuvastada minu puude raskusaste. Terviseseisundi tõttu vajan "
                "igapäevaelus kõrvalabi, juhendamist või järelevalvet, mis on kestnud "
                "vähemalt kuus kuud.",
                "Olen nõus, et ekspertiisi tegemiseks küsitakse minu terviseandmeid tervise "
                "infosüsteemist ning raviarstilt. Vajaduse korral olen valmis tulema "
                "ekspertarsti vastuvõtule.",
                "Kirjeldan oma toimetulekut: liikumine väljaspool kodu on raskendatud, vajan "
                "abivahendeid ning abi pesemisel ja riietumisel. Käin regulaarselt "
                "füsioteraapias.",
            ),
            "rus": (
                "Прошу установить степень тяжести моей инвалидности. По состоянию здоровья я "
                "нуждаюсь в посторонней помощи, руководстве или надзоре в повседневной жизни "
                "не менее шести месяцев.",
                "Согласен(на), что для проведения экспертизы будут запрошены сведения о моём "
                "здоровье из информационной системы здоровья и у лечащего врача. При "
                "необходимости готов(а) явиться на приём к врачу-эксперту.",
                "Описание моей повседневной жизни: передвижение вне дома затруднено, я "
                "пользуюсь вспомогательными средствами и нуждаюсь в помощи при мытье и "
                "одевании. Регулярно посещаю физиотерапию.",
            ),
            "eng": (
                "I ask for the severity of my disability to be assessed. Because of my health "
                "condition I have needed assistance, guidance or supervision in daily life for "
                "at least six months.",
                "I agree that my health data may be requested from the health information "
                "system and from my attending physician for the assessment. If necessary, I am "
                "ready to see the expert physician.",
                "My daily functioning: moving outside the home is difficult, I use assistive "
                "devices and need help with washing and dressing. I attend physiotherapy "
                "regularly.",
            ),
        },
    ),
    "power_of_attorney": Template(
        titles={"est": ("VOLIKIRI",), "rus": ("ДОВЕРЕННОСТЬ",), "eng": ("POWER OF ATTORNEY",)},
        roles=("principal", "attorney"),
        default_persons=2,
        sections=(("authority", ("valid_until",)),),
        paragraphs={
            "est": (
                "Käesolevaga volitan allnimetatud isikut esindama mind Sotsiaalkindlustusametis "
                "kõigis pensioni, toetuste ja hüvitistega seotud küsimustes, sealhulgas "
                "esitama avaldusi ja saama otsuseid.",
                "Volitatud isikul on õigus tutvuda minu andmetega, allkirjastada minu nimel "
                "dokumente ning vajaduse korral muuta väljamaksete arvelduskontot. "
                "Edasivolitamise õigus puudub.",
                "Volikiri kehtib kuni selles märgitud kuupäevani või kuni selle "
                "tagasivõtmiseni. Volikirja tagasivõtmisest teavitan ametit kirjalikult.",
            ),
            "rus": (
                "Настоящей доверенностью уполномочиваю нижеуказанное лицо представлять мои "
                "интересы в Департаменте социального страхования по всем вопросам, связанным с "
                "пенсией, пособиями и компенсациями, в том числе подавать заявления.",
                "Доверенное лицо имеет право знакомиться с моими данными, подписывать от моего "
                "имени документы и при необходимости изменять расчётный счёт для выплат. Право "
                "передоверия отсутствует.",
                "Доверенность действительна до указанной в ней даты или до её отзыва. Об "
                "отзыве доверенности я сообщу в департамент в письменной форме.",
            ),
            "eng": (
                "I hereby authorise the person named below to represent me before the Social "
                "Insurance Board in all matters concerning my pension, benefits and "
                "allowances, including submitting applications and receiving decisions.",
                "The authorised person may access my data, sign documents on my behalf and, "
                "where necessary, change the bank account for payments. The authorisation may "
                "not be delegated further.",
                "This power of attorney is valid until the date stated in it or until it is "
                "revoked. I will inform the Board of any revocation in writing.",
            ),
        },
    ),
    "medical_certificate": Template(
        titles={
            "est": ("ARSTITÕEND",),
            "rus": ("МЕДИЦИНСКАЯ СПРАВКА",),
            "eng": ("MEDICAL CERTIFICATE",),
        },
        roles=("patient", "representative"),
        default_persons=1,
        sections=(("certificate", ("institution", "doctor", "doctor_code", "diagnosis")),),
        paragraphs={
            "est": (
                "Tõendan, et patsient on olnud minu ravil ning tema terviseseisund piirab "
                "oluliselt igapäevaseid tegevusi. Ravi jätkub ambulatoorselt perearsti juures.",
                "Patsiendil on diagnoositud krooniline haigus, mis vajab pidevat jälgimist ja "
                "ravimeid. Soovitan taastusravi ning abivahendite määramist.",
            ),
            "rus": (
                "Настоящим подтверждаю, что пациент находился у меня на лечении и его "
                "состояние здоровья существенно ограничивает повседневную деятельность. "
                "Лечение продолжается амбулаторно у семейного врача.",
                "У пациента диагностировано хроническое заболевание, требующее постоянного "
                "наблюдения и приёма лекарств. Рекомендую реабилитацию и назначение "
                "вспомогательных средств.",
            ),
            "eng": (
                "I certify that the patient has been under my care and that the patient's "
                "health condition significantly limits daily activities. Treatment continues "
                "on an outpatient basis with the family physician.",
                "The patient has been diagnosed with a chronic illness that requires "
                "continuous monitoring and medication. I recommend rehabilitation and the "
                "provision of assistive devices.",
            ),
        },
        closing={
            "est": (
                "Tõend on väljastatud esitamiseks Sotsiaalkindlustusametile. Andmed põhinevad "
                "patsiendi läbivaatusel ja tervise infosüsteemi kannetel.",
            ),
            "rus": (
                "Справка выдана для представления в Департамент социального страхования. "
                "Сведения основаны на осмотре пациента и записях информационной системы "
                "здоровья.",
            ),
            "eng": (
                "This certificate has been issued for submission to the Social Insurance Board. "
                "The information is based on the examination of the patient and the health "
                "information system.",
            ),
        },
    ),
    "bank_account_change": Template(
        titles={
            "est": ("AVALDUS ARVELDUSKONTO MUUTMISEKS",),
            "rus": ("ЗАЯВЛЕНИЕ ОБ ИЗМЕНЕНИИ РАСЧЁТНОГО СЧЁТА",),
            "eng": ("APPLICATION TO CHANGE BANK ACCOUNT",),
        },
        roles=("applicant", "representative"),
        default_persons=1,
        sections=(("account", ("old_iban", "iban", "bank")),),
        paragraphs={
            "est": (
                "Palun muuta minu pensioni ja toetuste väljamaksmiseks kasutatavat "
                "arvelduskontot. Uus arvelduskonto on avatud minu nimel ning kehtib alates "
                "käesoleva avalduse esitamisest.",
                "Olen teadlik, et kui avaldus jõuab ametisse pärast väljamaksete "
                "ettevalmistamist, tehakse jooksva kuu väljamakse veel senisele "
                "arvelduskontole.",
            ),
            "rus": (
                "Прошу изменить расчётный счёт, используемый для выплаты моей пенсии и "
                "пособий. Новый счёт открыт на моё имя и действует с момента подачи "
                "настоящего заявления.",
                "Мне известно, что если заявление поступит в департамент после подготовки "
                "выплат, выплата за текущий месяц будет произведена ещё на прежний счёт.",
            ),
            "eng": (
                "Please change the bank account used for paying my pension and benefits. The "
                "new account has been opened in my name and applies from the submission of "
                "this application.",
                "I understand that if the application reaches the Board after the payments "
                "have been prepared, the payment for the current month will still be made to "
                "the previous account.",
            ),
        },
    ),
}

_DEATH_CERTIFICATE = Template(
    titles={
        "est": (
            "SURMATÕEND",
            "SURMATUNNISTUS",
            "TÕEND SURMA REGISTREERIMISE KOHTA",
            "TEATIS ISIKU SURMA KOHTA",
        ),
        "rus": (
            "СВИДЕТЕЛЬСТВО О СМЕРТИ",
            "СПРАВКА О РЕГИСТРАЦИИ СМЕРТИ",
            "ИЗВЕЩЕНИЕ О СМЕРТИ",
        ),
        "eng": (
            "DEATH CERTIFICATE",
            "CERTIFICATE OF DEATH",
            "NOTICE OF DEATH",
            "CERTIFICATE OF REGISTRATION OF DEATH",
        ),
    },
    roles=("deceased", "informant"),
    default_persons=2,
    sections=(
        (
            "registration",
            ("death_date", "death_place", "record_number", "record_date", "registry_office"),
        ),
    ),
    headers={
        "est": ("Eesti Vabariik", "Rahvastikuregister", "Eesti Vabariik. Perekonnaseisuasutus"),
        "rus": ("Эстонская Республика", "Регистр народонаселения"),
        "eng": ("Republic of Estonia", "Population Register"),
    },
    paragraphs={
        "est": (
            "Rahvastikuregistrisse on kantud ülalnimetatud isiku surm. Surmakanne on koostatud "
            "surma tõendava arstliku dokumendi alusel ning selle andmed on kontrollitud.",
            "Surmast teatas surnu lähedane, kes esitas perekonnaseisuasutusele surma põhjuse "
            "arstliku tõendi ja surnu isikut tõendava dokumendi.",
            "Surnu pensioni ja toetuste maksmine lõpetatakse surmakuule järgneva kuu algusest. "
            "Pärast surma väljamakstud summad nõutakse tagasi pärandvarast.",
            "Toitjakaotuspensioni taotlemiseks tuleb Sotsiaalkindlustusametile esitada "
            "käesolev tõend või selle ärakiri koos avaldusega.",
        ),
        "rus": (
            "В регистр народонаселения внесена запись о смерти вышеуказанного лица. Актовая "
            "запись о смерти составлена на основании медицинского свидетельства о смерти, её "
            "данные проверены.",
            "О смерти сообщил близкий родственник умершего, представивший в орган регистрации "
            "актов гражданского состояния медицинское свидетельство о причине смерти и "
            "документ, удостоверяющий личность умершего.",
            "Выплата пенсии и пособий умершему прекращается с начала месяца, следующего за "
            "месяцем смерти. Суммы, выплаченные после смерти, взыскиваются из наследственного "
            "имущества.",
            "Для ходатайства о пенсии по потере кормильца в Департамент социального "
            "страхования представляется настоящее свидетельство или его копия вместе с "
            "заявлением.",
        ),
        "eng": (
            "The death of the above person has been entered in the population register. The "
            "death record has been drawn up on the basis of the medical certificate of death, "
            "and its data have been verified.",
            "The death was notified by a close relative of the deceased, who presented the "
            "medical certificate of the cause of death and the identity document of the "
            "deceased to the registry office.",
            "Payment of the pension and benefits of the deceased ends from the beginning of the "
            "month following the month of death. Amounts paid after the death are reclaimed "
            "from the estate.",
            "To apply for a survivor's pension, this certificate or a copy of it is submitted "
            "to the Social Insurance Board together with the application.",
        ),
    },
    closing={
        "est": (
            "Tõend on välja antud rahvastikuregistri andmete alusel ja kehtib ilma pitserita.",
            "Ärakiri vastab rahvastikuregistrisse kantud surmakandele.",
        ),
        "rus": (
            "Свидетельство выдано на основании данных регистра народонаселения и "
            "действительно без печати.",
            "Копия соответствует актовой записи о смерти, внесённой в регистр народонаселения.",
        ),
        "eng": (
            "This certificate is issued on the basis of the population register and is valid "
            "without a seal.",
            "This copy corresponds to the death record entered in the population register.",
        ),
    },
)

# What every EU social security form says, whatever its kind.
_EU_PARAGRAPHS: Texts = {
    "est": (
        "Dokument on välja antud sotsiaalkindlustussüsteemide koordineerimist käsitleva "
        "määruse (EÜ) nr 883/2004 ja selle rakendusmääruse (EÜ) nr 987/2009 alusel.",
        "Kui dokumendi andmed on ebatäpsed või muutuvad, teavitage sellest viivitamata "
        "dokumendi välja andnud asutust. Asutus võib dokumendi tagasi võtta või seda muuta.",
        "Liikmesriikide pädevad asutused vahetavad andmeid elektrooniliselt "
        "sotsiaalkindlustusteabe elektroonilise vahetuse süsteemi (EESSI) kaudu.",
    ),
    "rus": (
        "Документ выдан на основании Регламента (ЕС) № 883/2004 о координации систем "
        "социального обеспечения и имплементационного Регламента (ЕС) № 987/2009.",
        "Если сведения в документе неточны или изменились, незамедлительно сообщите об этом "
        "выдавшему документ учреждению. Учреждение может отозвать или изменить документ.",
        "Компетентные учреждения государств-членов обмениваются данными в электронном виде "
        "через систему электронного обмена информацией о социальном обеспечении (EESSI).",
    ),
    "eng": (
        "This document is issued under Regulation (EC) No 883/2004 on the coordination of "
        "social security systems and its implementing Regulation (EC) No 987/2009.",
        "If the information in this document is inaccurate or changes, inform the institution "
        "that issued it without delay. The institution may withdraw or amend the document.",
        "The competent institutions of the Member States exchange the data electronically "
        "through the Electronic Exchange of Social Security Information (EESSI).",
    ),
}
_EU_CLOSING: Texts = {
    "est": (
        "Kinnitame, et ülaltoodud andmed vastavad asutuse andmekogudes olevatele andmetele.",
        "Dokument kehtib kõigis Euroopa Liidu liikmesriikides, Islandil, Liechtensteinis, "
        "Norras ja Šveitsis.",
    ),
    "rus": (
        "Подтверждаем, что приведённые выше сведения соответствуют данным учреждения.",
        "Документ действителен во всех государствах – членах Европейского союза, в Исландии, "
        "Лихтенштейне, Норвегии и Швейцарии.",
    ),
    "eng": (
        "We certify that the above information corresponds to the records of the institution.",
        "This document is valid in all Member States of the European Union, Iceland, "
        "Liechtenstein, Norway and Switzerland.",
    ),
}
_EU_HEADERS: Texts = {
    "est": (
        "Euroopa Liit – sotsiaalkindlustussüsteemide koordineerimine",
        "Euroopa Liit. Sotsiaalkindlustus",
    ),
    "rus": (
        "Европейский союз – координация систем социального обеспечения",
        "Европейский союз. Социальное обеспечение",
    ),
    "eng": (
        "European Union – coordination of social security systems",
        "European Union. Social security",
    ),
}
_COMPETENT = ("competent", ("eu_institution", "institution_id", "member_state"))


def _eu_form(
    titles: Mapping[str, tuple[str, ...]],
    sections: tuple[tuple[str, tuple[str, ...]], ...],
    paragraphs: Texts,
    *,
    periods: bool = False,
) -> Template:
    """Return an EU portable document or E-form.

    It names the insured person and the competent institution, has its own sections, and
    perhaps a table of insurance periods.
    """
    return Template(
        titles=titles,
        roles=("insured", "representative"),
        default_persons=1,
        sections=(_COMPETENT, *sections),
        paragraphs=_joined(paragraphs, _EU_PARAGRAPHS),
        closing=_EU_CLOSING,
        headers=_EU_HEADERS,
        table="periods" if periods else None,
        table_heading="periods" if periods else None,
    )


_EU_FORMS = (
    _eu_form(
        {
            "est": (
                "KAASASKANTAV DOKUMENT S1",
                "S1 – REGISTREERIMINE RAVIKINDLUSTUSE SAAMISEKS",
                "KAASASKANTAV DOKUMENT S1: REGISTREERIMINE RAVIKINDLUSTUSE SAAMISEKS",
            ),
            "rus": (
                "ПОРТАТИВНЫЙ ДОКУМЕНТ S1",
                "ПЕРЕНОСНОЙ ДОКУМЕНТ S1",
                "S1 – РЕГИСТРАЦИЯ ДЛЯ ПОЛУЧЕНИЯ МЕДИЦИНСКОГО ОБСЛУЖИВАНИЯ",
            ),
            "eng": (
                "PORTABLE DOCUMENT S1",
                "S1 REGISTRATION FOR HEALTHCARE COVER",
                "PORTABLE DOCUMENT S1: REGISTRATION FOR HEALTHCARE COVER",
            ),
        },
        (("cover", ("cover_basis", "cover_from", "cover_to")),),
        {
            "est": (
                "Dokument tõendab, et omanikul on õigus saada elukohariigis mitterahalisi haigus- "
                "ja rasedushüvitisi pädeva liikmesriigi kulul. Dokument tuleb esitada "
                "elukohajärgsele ravikindlustusasutusele registreerimiseks.",
            ),
            "rus": (
                "Документ подтверждает право владельца на получение натуральных пособий по "
                "болезни и материнству в государстве проживания за счёт компетентного "
                "государства-члена. Документ представляется для регистрации в учреждение "
                "медицинского страхования по месту жительства.",
            ),
            "eng": (
                "This document certifies that the holder is entitled to sickness and maternity "
                "benefits in kind in the country of residence at the expense of the competent "
                "Member State. It must be submitted to the health insurance institution of the "
                "place of residence for registration.",
            ),
        },
    ),
    _eu_form(
        {
            "est": (
                "KAASASKANTAV DOKUMENT P1",
                "P1 – PENSIONIOTSUSTE KOKKUVÕTE",
                "PENSIONIOTSUSTE KOKKUVÕTE (P1)",
            ),
            "rus": ("ПЕРЕНОСНОЙ ДОКУМЕНТ P1", "P1 – СВОДКА РЕШЕНИЙ О ПЕНСИИ"),
            "eng": (
                "PORTABLE DOCUMENT P1",
                "P1 SUMMARY OF PENSION DECISIONS",
                "SUMMARY OF PENSION DECISIONS (P1)",
            ),
        },
        (("pension", ("pension_kind", "decision_date", "pension_amount")),),
        {
            "est": (
                "Kokkuvõte annab ülevaate kõigist pensionitaotluse kohta eri liikmesriikides "
                "tehtud otsustest. Kui otsus mõjutab teie õigusi ebasoodsalt, võite taotleda "
                "selle läbivaatamist siseriikliku õigusega ettenähtud tähtaja jooksul.",
            ),
            "rus": (
                "Сводка содержит обзор всех решений, принятых в разных государствах-членах по "
                "заявлению о пенсии. Если решение неблагоприятно затрагивает ваши права, вы "
                "можете потребовать его пересмотра в срок, установленный национальным "
                "законодательством.",
            ),
            "eng": (
                "This summary gives an overview of the decisions taken in the different Member "
                "States on the pension claim. If a decision adversely affects your rights, you "
                "may request a review within the time limit set by national law.",
            ),
        },
    ),
    _eu_form(
        {
            "est": (
                "KAASASKANTAV DOKUMENT U1",
                "U1 – TÖÖTUSHÜVITISTE MÄÄRAMISEL ARVESSE VÕETAVAD PERIOODID",
            ),
            "rus": (
                "ПЕРЕНОСНОЙ ДОКУМЕНТ U1",
                "U1 – ПЕРИОДЫ, УЧИТЫВАЕМЫЕ ПРИ НАЗНАЧЕНИИ ПОСОБИЙ ПО БЕЗРАБОТИЦЕ",
            ),
            "eng": (
                "PORTABLE DOCUMENT U1",
                "U1 PERIODS TO BE TAKEN INTO ACCOUNT FOR THE GRANTING OF UNEMPLOYMENT BENEFITS",
            ),
        },
        (("employment", ("employer", "last_day")),),
        {
            "est": (
                "Dokumendis on märgitud kindlustus- ja töötamisperioodid, mida arvestatakse "
                "töötushüvitiste määramisel teises liikmesriigis. Esitage dokument selle riigi "
                "tööhõiveasutusele, kus taotlete töötushüvitist.",
            ),
            "rus": (
                "В документе указаны периоды страхования и работы, которые учитываются при "
                "назначении пособий по безработице в другом государстве-члене. Представьте "
                "документ в службу занятости государства, в котором вы ходатайствуете о "
                "пособии.",
            ),
            "eng": (
                "The document lists the periods of insurance and employment to be taken into "
                "account when unemployment benefits are granted in another Member State. Submit "
                "it to the employment services of the country where you claim benefit.",
            ),
        },
        periods=True,
    ),
    _eu_form(
        {
            "est": (
                "KAASASKANTAV DOKUMENT A1",
                "A1 – TÕEND KOHALDATAVATE SOTSIAALKINDLUSTUSALASTE ÕIGUSAKTIDE KOHTA",
            ),
            "rus": (
                "ПОРТАТИВНЫЙ ДОКУМЕНТ A1",
                "ПЕРЕНОСНОЙ ДОКУМЕНТ A1",
                "A1 – СПРАВКА О ПРИМЕНИМОМ ЗАКОНОДАТЕЛЬСТВЕ В ОБЛАСТИ СОЦИАЛЬНОГО ОБЕСПЕЧЕНИЯ",
            ),
            "eng": (
                "PORTABLE DOCUMENT A1",
                "A1 CERTIFICATE CONCERNING THE SOCIAL SECURITY LEGISLATION WHICH APPLIES TO THE "
                "HOLDER",
            ),
        },
        (("employment", ("employer", "work_state", "cover_from", "cover_to")),),
        {
            "est": (
                "Tõend kinnitab, et omaniku suhtes kohaldatakse märgitud perioodil väljaandva "
                "liikmesriigi sotsiaalkindlustusalaseid õigusakte ka siis, kui ta töötab "
                "ajutiselt teises liikmesriigis.",
            ),
            "rus": (
                "Справка подтверждает, что в указанный период к владельцу применяется "
                "законодательство о социальном обеспечении выдавшего её государства-члена, в "
                "том числе при временной работе в другом государстве-члене.",
            ),
            "eng": (
                "This certificate confirms that the social security legislation of the issuing "
                "Member State applies to the holder for the period stated, including while "
                "temporarily working in another Member State.",
            ),
        },
    ),
    _eu_form(
        {
            "est": (
                "E 205 {state}",
                "VORM E 205 {state}",
                "E 205 {state} – TÕEND KINDLUSTUSPERIOODIDE KOHTA",
            ),
            "rus": (
                "E 205 {state}",
                "ФОРМА E 205 {state}",
                "E 205 {state} – СПРАВКА О СТРАХОВОМ СТАЖЕ",
            ),
            "eng": (
                "E 205 {state}",
                "FORM E 205 {state}",
                "E 205 {state} STATEMENT OF INSURANCE HISTORY",
            ),
        },
        (),
        {
            "est": (
                "Vorm on täidetud pensioni määramiseks ja sisaldab väljaandvas riigis täitunud "
                "kindlustusperioode. Perioodid on märgitud kindlustusasutuse andmete alusel.",
            ),
            "rus": (
                "Форма заполнена для назначения пенсии и содержит периоды страхования, "
                "накопленные в выдавшем её государстве. Периоды указаны на основании данных "
                "страхового учреждения.",
            ),
            "eng": (
                "This form has been completed for the award of a pension and lists the "
                "insurance periods completed in the issuing country. The periods are stated on "
                "the basis of the records of the insurance institution.",
            ),
        },
        periods=True,
    ),
)

# Documents that are none of the office's types: letters, cover notes, invoices, bills,
# receipts.
_TO_OFFICE: Texts = {
    "est": ("Sotsiaalkindlustusametile", "Sotsiaalkindlustusamet"),
    "rus": ("В Департамент социального страхования", "Департамент социального страхования"),
    "eng": ("To the Social Insurance Board", "Social Insurance Board"),
}
_LETTER_CLOSING: Texts = {
    "est": (
        "Tänan teid vastuse eest. Lugupidamisega",
        "Ootan vastust e-posti teel või kirja teel elukoha aadressile. Lugupidamisega",
    ),
    "rus": (
        "Благодарю за ответ. С уважением",
        "Ответ прошу направить по электронной почте или по адресу места жительства. С уважением",
    ),
    "eng": (
        "Thank you for your reply. Yours faithfully",
        "I look forward to your reply by e-mail or by post to my home address. Yours sincerely",
    ),
}
_BILL_CLOSING: Texts = {
    "est": (
        "Täname, et kasutate meie teenuseid!",
        "Küsimuste korral palume pöörduda meie klienditeenindusse telefonil või e-posti teel.",
    ),
    "rus": (
        "Благодарим вас за пользование нашими услугами!",
        "По всем вопросам обращайтесь в нашу службу обслуживания клиентов по телефону или "
        "по электронной почте.",
    ),
    "eng": (
        "Thank you for using our services!",
        "If you have any questions, please contact our customer service by phone or e-mail.",
    ),
}

_OTHERS = (
    Template(  # a letter or enquiry to the office
        titles={
            "est": ("PÖÖRDUMINE", "KIRI", "SELGITUSTAOTLUS", "TEABENÕUE"),
            "rus": ("ОБРАЩЕНИЕ", "ПИСЬМО", "ЗАПРОС ИНФОРМАЦИИ", "ПРОСЬБА О РАЗЪЯСНЕНИИ"),
            "eng": ("LETTER", "ENQUIRY", "REQUEST FOR INFORMATION", "REQUEST FOR CLARIFICATION"),
        },
        roles=("sender", "representative"),
        default_persons=1,
        sections=(("matter", ("subject",)),),
        headers=_TO_OFFICE,
        general=False,
        paragraphs={
            "est": (
                "Pöördun teie poole seoses minu pensioni väljamaksega. Eelmisel kuul laekus "
                "pension minu kontole tavapärasest hiljem ning soovin teada, mis oli viivituse "
                "põhjus.",
                "Palun selgitada, milliseid dokumente pean esitama, kui kolin püsivalt teise "
                "riiki elama. Soovin, et pension makstaks ka edaspidi minu Eesti pangakontole.",
                "Sain ameti kirja, milles paluti esitada täiendavaid andmeid. Kahjuks ei saa ma "
                "aru, milliseid andmeid täpsemalt vajatakse, ning palun võtta minuga ühendust "
                "telefoni teel.",
                "Soovin saada väljavõtet minule tehtud väljamaksetest viimase kolme aasta "
                "kohta. Väljavõtet vajan pangale ja korteriühistule esitamiseks.",
            ),
            "rus": (
                "Обращаюсь к вам в связи с выплатой моей пенсии. В прошлом месяце пенсия "
                "поступила на мой счёт позже обычного, и я хотел(а) бы узнать причину задержки.",
                "Прошу разъяснить, какие документы мне необходимо представить, если я переезжаю "
                "на постоянное жительство в другую страну. Я хочу, чтобы пенсия и дальше "
                "выплачивалась на мой счёт в Эстонии.",
                "Я получил(а) письмо департамента с просьбой представить дополнительные "
                "сведения. К сожалению, мне непонятно, какие именно сведения нужны, поэтому "
                "прошу связаться со мной по телефону.",
                "Прошу выдать выписку о произведённых мне выплатах за последние три года. "
                "Выписка нужна мне для представления в банк и квартирное товарищество.",
            ),
            "eng": (
                "I am writing to you about the payment of my pension. Last month the pension "
                "reached my account later than usual, and I would like to know the reason for "
                "the delay.",
                "Please explain which documents I need to submit if I move to live permanently "
                "in another country. I would like the pension to continue to be paid to my "
                "Estonian bank account.",
                "I received a letter from the Board asking me to provide further information. "
                "Unfortunately I do not understand exactly what is needed, so please contact me "
                "by telephone.",
                "I would like a statement of the payments made to me over the last three years. "
                "I need the statement for my bank and my housing association.",
            ),
        },
        closing=_LETTER_CLOSING,
    ),
    Template(  # a cover note sent with documents
        titles={
            "est": ("KAASKIRI", "DOKUMENTIDE SAATMINE", "KAASKIRI DOKUMENTIDE ESITAMISEKS"),
            "rus": ("СОПРОВОДИТЕЛЬНОЕ ПИСЬМО", "ПЕРЕДАЧА ДОКУМЕНТОВ"),
            "eng": ("COVER NOTE", "COVER LETTER", "DOCUMENTS ENCLOSED"),
        },
        roles=("sender", "representative"),
        default_persons=1,
        sections=(),
        headers=_TO_OFFICE,
        table="attachments",
        table_heading="attached",
        general=False,
        paragraphs={
            "est": (
                "Saadan lisatud dokumendid seoses menetluses oleva avaldusega, nagu ameti "
                "ametnik telefonivestluses palus.",
                "Originaaldokumendid on minu käes ja esitan need vajaduse korral "
                "klienditeeninduses.",
            ),
            "rus": (
                "Направляю приложенные документы в связи с рассматриваемым заявлением, как "
                "просил сотрудник департамента в телефонном разговоре.",
                "Оригиналы документов находятся у меня, при необходимости я представлю их в "
                "бюро обслуживания.",
            ),
            "eng": (
                "I am sending the enclosed documents concerning the application being processed, "
                "as an officer of the Board asked me to on the telephone.",
                "I hold the original documents and will present them at a customer service "
                "office if needed.",
            ),
        },
        closing=_LETTER_CLOSING,
    ),
    Template(  # an invoice for a service
        titles={
            "est": ("ARVE NR {number}", "ARVE", "ARVE-SAATELEHT NR {number}"),
            "rus": ("СЧЁТ № {number}", "СЧЁТ-ФАКТУРА № {number}", "СЧЁТ"),
            "eng": ("INVOICE NO. {number}", "INVOICE", "TAX INVOICE {number}"),
        },
        roles=("client", "representative"),
        default_persons=0,
        sections=(
            ("invoice", ("seller", "reg_code", "iban", "buyer", "due_date", "reference", "total")),
        ),
        headers=same(*_words.SELLERS),
        table="invoice",
        signature=False,
        general=False,
        paragraphs={
            "est": (
                "Arve tasumisel palume märkida viitenumbri. Maksetähtaja ületamisel on müüjal "
                "õigus nõuda viivist 0,05% tasumata summalt päevas.",
                "Teenus on osutatud kliendiga sõlmitud lepingu alusel. Pretensioonid arve kohta "
                "palume esitada seitsme päeva jooksul arve saamisest.",
                "Arve on koostatud elektrooniliselt ja kehtib allkirjata.",
            ),
            "rus": (
                "При оплате счёта просим указать номер ссылки. При просрочке платежа продавец "
                "вправе требовать пеню в размере 0,05% от неоплаченной суммы в день.",
                "Услуга оказана на основании договора, заключённого с клиентом. Претензии по "
                "счёту просим предъявлять в течение семи дней с момента его получения.",
                "Счёт составлен в электронном виде и действителен без подписи.",
            ),
            "eng": (
                "Please quote the reference number when paying. If payment is late, the seller "
                "may charge interest of 0.05% of the unpaid amount per day.",
                "The service has been provided under the contract concluded with the client. "
                "Please submit any complaints about the invoice within seven days of receipt.",
                "This invoice has been produced electronically and is valid without a signature.",
            ),
        },
        closing=_BILL_CLOSING,
    ),
    Template(  # a utility bill
        titles={
            "est": (
                "ELEKTRIARVE",
                "KOMMUNAALTEENUSTE ARVE",
                "ARVE: VESI JA KANALISATSIOON",
                "GAASIARVE",
            ),
            "rus": (
                "СЧЁТ ЗА ЭЛЕКТРОЭНЕРГИЮ",
                "СЧЁТ ЗА КОММУНАЛЬНЫЕ УСЛУГИ",
                "СЧЁТ ЗА ВОДУ И КАНАЛИЗАЦИЮ",
            ),
            "eng": ("ELECTRICITY BILL", "UTILITY BILL", "WATER AND SEWERAGE BILL", "GAS BILL"),
        },
        roles=("client", "representative"),
        default_persons=0,
        sections=(
            (
                "invoice",
                (
                    "customer",
                    "customer_address",
                    "customer_number",
                    "billing_period",
                    "total",
                    "due_date",
                    "reference",
                ),
            ),
        ),
        headers=same(*_words.UTILITIES),
        signature=False,
        general=False,
        paragraphs={
            "est": (
                "Arve on koostatud kaugloetud arvesti näitude alusel. Kui näit puudub, on "
                "tarbimine hinnatud eelmiste perioodide keskmise järgi.",
                "Võrgutasu ja taastuvenergia tasu on arvel eraldi real. Hinnad sisaldavad "
                "käibemaksu.",
                "E-arve püsimakse lepingu korral tasutakse arve teie pangakontolt automaatselt "
                "maksetähtajal.",
            ),
            "rus": (
                "Счёт составлен на основании показаний счётчика, снятых дистанционно. При "
                "отсутствии показаний потребление рассчитано по среднему за прошлые периоды.",
                "Плата за сеть и плата за возобновляемую энергию указаны в счёте отдельной "
                "строкой. Цены включают налог с оборота.",
                "При договоре постоянного платежа по э-счёту счёт оплачивается с вашего "
                "банковского счёта автоматически в срок оплаты.",
            ),
            "eng": (
                "This bill is based on remotely read meter readings. Where no reading is "
                "available, consumption has been estimated from the average of previous "
                "periods.",
                "The network charge and the renewable energy charge are shown on separate "
                "lines. Prices include VAT.",
                "If you have a standing order for e-invoices, the bill is paid automatically "
                "from your bank account on the due date.",
            ),
        },
        closing=_BILL_CLOSING,
    ),
    Template(  # a receipt for a payment
        titles={
            "est": ("KVIITUNG", "MAKSEKVIITUNG NR {number}", "KASSA SISSETULEKUORDER NR {number}"),
            "rus": (
                "КВИТАНЦИЯ",
                "КВИТАНЦИЯ ОБ ОПЛАТЕ № {number}",
                "ПРИХОДНЫЙ КАССОВЫЙ ОРДЕР № {number}",
            ),
            "eng": ("RECEIPT", "PAYMENT RECEIPT NO. {number}", "CASH RECEIPT NO. {number}"),
        },
        roles=("client", "representative"),
        default_persons=0,
        sections=(("receipt", ("payer", "amount", "purpose", "seller", "reg_code")),),
        headers=same(*_words.SELLERS),
        general=False,
        paragraphs={
            "est": (
                "Makse on vastu võetud sularahas. Kviitung kinnitab makse tegemist ja see tuleb "
                "säilitada.",
                "Kviitungi alusel saab taotleda kulude hüvitamist, kui see on seaduses ette "
                "nähtud.",
            ),
            "rus": (
                "Платёж принят наличными. Квитанция подтверждает произведённый платёж, её "
                "следует сохранить.",
                "На основании квитанции можно ходатайствовать о возмещении расходов, если это "
                "предусмотрено законом.",
            ),
            "eng": (
                "The payment has been received in cash. This receipt confirms the payment and "
                "should be kept.",
                "The receipt can be used to claim reimbursement of the costs where the law "
                "provides for it.",
            ),
        },
        closing={
            "est": ("Raha võttis vastu kassapidaja.", "Täname makse eest!"),
            "rus": ("Деньги принял кассир.", "Благодарим за оплату!"),
            "eng": ("Received by the cashier.", "Thank you for your payment!"),
        },
    ),
)

# Each document type and the kinds of document it covers: the content draws one at random
# when there are several. The office's own wording of a type comes first, then the others'.
TEMPLATES: Mapping[str, tuple[Template, ...]] = {
    **{name: (template, OTHER_WORDINGS[name]) for name, template in _FORMS.items()},
    "death_certificate": (_DEATH_CERTIFICATE, OTHER_WORDINGS["death_certificate"]),
    "eu_social_security_form": _EU_FORMS,
    "other": _OTHERS,
}
