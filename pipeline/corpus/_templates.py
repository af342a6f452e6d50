# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""Document templates: title, sections and body paragraphs per document type and language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Texts = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Template:
    """What one document type holds, in every language.

    Attributes:
        titles: The title line per language.
        roles: Section keys of the first person and of each further person.
        default_persons: How many persons (each with a person code) the form names.
        sections: Further sections after the persons: section key and field kinds.
        paragraphs: Body paragraphs specific to the type, per language.
        closing: Paragraphs that end the document before the signature, per language;
            None for the common declarations.
    """

    titles: Mapping[str, str]
    roles: tuple[str, str]
    default_persons: int
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    paragraphs: Texts
    closing: Texts | None = None


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

TEMPLATES: Mapping[str, Template] = {
    "pension_application": Template(
        titles={
            "est": "AVALDUS VANADUSPENSIONI MÄÄRAMISEKS",
            "rus": "ЗАЯВЛЕНИЕ О НАЗНАЧЕНИИ ПЕНСИИ ПО СТАРОСТИ",
            "eng": "APPLICATION FOR OLD-AGE PENSION",
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
            "est": "AVALDUS PERETOETUSTE MÄÄRAMISEKS",
            "rus": "ЗАЯВЛЕНИЕ О НАЗНАЧЕНИИ СЕМЕЙНЫХ ПОСОБИЙ",
            "eng": "APPLICATION FOR FAMILY BENEFITS",
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
            "est": "TAOTLUS PUUDE RASKUSASTME TUVASTAMISEKS",
            "rus": "ЗАЯВЛЕНИЕ ОБ УСТАНОВЛЕНИИ СТЕПЕНИ ИНВАЛИДНОСТИ",
            "eng": "APPLICATION FOR DISABILITY ASSESSMENT",
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
        titles={"est": "VOLIKIRI", "rus": "ДОВЕРЕННОСТЬ", "eng": "POWER OF ATTORNEY"},
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
        titles={"est": "ARSTITÕEND", "rus": "МЕДИЦИНСКАЯ СПРАВКА", "eng": "MEDICAL CERTIFICATE"},
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
            "est": "AVALDUS ARVELDUSKONTO MUUTMISEKS",
            "rus": "ЗАЯВЛЕНИЕ ОБ ИЗМЕНЕНИИ РАСЧЁТНОГО СЧЁТА",
            "eng": "APPLICATION TO CHANGE BANK ACCOUNT",
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
