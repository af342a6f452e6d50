# Russian text is meant to be Cyrillic: its letters are not confusables here.
# ruff: noqa: RUF001
"""The office's types as others write them: a second wording of each form and certificate.

The office's own forms (`_templates`) say the same things the same way every time, so a type
classifier trained on them alone learns their wording, not what the documents are about. The
wordings here are the same documents as clients, doctors, banks' customers and the population
register write them: a pension applied for in a letter, a power of attorney written out by
hand, a hospital's discharge summary, a notice of new bank details, an extract of the
register. Their titles share no phrase with the titles `config/document_types.toml` lists for
the type, and most of their paragraphs none with its phrases: the classifier has to recognise
them by what they say.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.corpus import _words
from pipeline.corpus._template import Template, Texts, same

_PAYMENT = ("payment", ("iban", "bank"))

# A client's letter is addressed to the office; the issuer's line says to whom.
_ADDRESSEE: Texts = {
    "est": ("Sotsiaalkindlustusametile", "Sotsiaalkindlustusameti klienditeenindusele"),
    "rus": ("В Департамент социального страхования", "В бюро обслуживания Департамента"),
    "eng": ("To the Social Insurance Board", "Social Insurance Board, customer service"),
}

_PENSION = Template(  # a client's letter asking for the pension
    titles={
        "est": ("AVALDUS", "PENSIONILE JÄÄMINE", "SOOV JÄÄDA PENSIONILE"),
        "rus": ("ЗАЯВЛЕНИЕ", "О ВЫХОДЕ НА ПЕНСИЮ", "ПРОШУ НАЗНАЧИТЬ МНЕ ПЕНСИЮ"),
        "eng": ("APPLICATION", "RETIREMENT PENSION REQUEST", "REQUEST TO START MY PENSION"),
    },
    roles=("applicant", "representative"),
    default_persons=1,
    sections=(_PAYMENT, ("pension", ("start_date",))),
    headers=_ADDRESSEE,
    paragraphs={
        "est": (
            "Taotlen endale vanaduspensioni, kuna jõuan sel kuul seadusega ette nähtud "
            "vanusesse. Palun alustada väljamaksetega allpool märgitud kuupäevast ja kanda raha "
            "iga kuu minu pangakontole.",
            "Töötasin aastatel 1985 kuni 1999 Soomes ehitusel ning hiljem lühemat aega Šveitsis. "
            "Palun võtta ka need aastad staaži hulka ja vajaduse korral pärida andmeid sealsetelt "
            "pensioniasutustelt.",
            "Otsuse ja muud kirjad saatke mulle palun tavapostiga, sest e-posti ma ei kasuta. Kui "
            "midagi jääb selgusetuks, helistage julgelt, olen pärastlõunal tavaliselt kodus.",
        ),
        "rus": (
            "Прошу назначить мне пенсию, так как в этом месяце мне исполняется положенный по "
            "закону возраст. Выплаты прошу начать с указанной ниже даты и перечислять деньги "
            "ежемесячно на мой счёт в банке.",
            "С 1985 по 1999 год я работал(а) на стройке в Финляндии, а потом недолго в "
            "Швейцарии. Прошу включить и эти годы в мой стаж и при необходимости запросить "
            "сведения у тамошних пенсионных служб.",
            "Решение и другие письма прошу присылать обычной почтой, электронной почтой я не "
            "пользуюсь. Если что-то будет неясно, позвоните мне, после обеда я обычно дома.",
        ),
        "eng": (
            "I would like to start receiving my state pension, as I reach the statutory "
            "retirement age this month. Please start the payments from the date given below and "
            "pay the money into my bank each month.",
            "From 1985 to 1999 I worked on building sites in Finland, and later for a short time "
            "in Switzerland. Please count those years too, and ask the pension offices there "
            "for my records if you need them.",
            "Please send the decision and any other letters by ordinary post, as I do not use "
            "e-mail. If anything is unclear, do ring me; I am usually at home in the afternoon.",
        ),
    },
    closing={
        "est": (
            "Lisan avaldusele isikut tõendava dokumendi koopia. Tänan ette ja jään ootama teie "
            "otsust. Lugupidamisega",
            "Kinnitan, et kõik eespool kirja pandu vastab tõele, ning annan teada, kui mu elukoht "
            "või pangaandmed muutuvad. Lugupidamisega",
        ),
        "rus": (
            "К заявлению прилагаю копию документа, удостоверяющего личность. Заранее благодарю "
            "и жду вашего решения. С уважением",
            "Подтверждаю, что всё написанное выше правда, и сообщу, если изменится мой адрес "
            "или банковские данные. С уважением",
        ),
        "eng": (
            "I enclose a copy of my identity document. Thank you in advance; I look forward to "
            "your decision. Yours faithfully",
            "Everything I have written above is true, and I will let you know if my address or "
            "bank details change. Yours sincerely",
        ),
    },
)

_FAMILY = Template(  # a parent asking in plain words for the child's money
    titles={
        "est": ("PALVE MÄÄRATA TOETUS LAPSELE", "RAHA LAPSE KASVATAMISEKS"),
        "rus": ("ПРОСЬБА О ВЫПЛАТЕ НА РЕБЁНКА", "ПОМОЩЬ НА СОДЕРЖАНИЕ РЕБЁНКА"),
        "eng": ("REQUEST FOR SUPPORT FOR MY CHILD", "MONEY FOR RAISING A CHILD"),
    },
    roles=("applicant", "child"),
    default_persons=2,
    sections=(_PAYMENT,),
    headers=_ADDRESSEE,
    paragraphs={
        "est": (
            "Meie perre sündis laps ja palun hakata talle ette nähtud igakuist lapsetoetust "
            "maksma. Laps elab koos minuga ühel aadressil ning on rahvastikuregistris kantud minu "
            "elukohta.",
            "Praegu käib laps lasteaias, hiljem läheb kooli. Kui tema elukoht muutub või ta "
            "jätkab pärast põhikooli õpinguid kutsekoolis, annan sellest teile kohe teada.",
            "Meie peres kasvab kokku kolm last, sh üks kooliealine. Palun kontrollida, kas meil "
            "on õigus ka suurema pere eest makstavale lisarahale, ja teha otsus sellest "
            "lähtudes.",
        ),
        "rus": (
            "В нашей семье родился ребёнок, и я прошу начать выплачивать на него положенное "
            "ежемесячное пособие на ребёнка. Ребёнок живёт вместе со мной по одному адресу и "
            "зарегистрирован по моему месту жительства.",
            "Сейчас ребёнок ходит в детский сад, позже пойдёт в школу. Если его адрес изменится "
            "или после основной школы он продолжит учёбу в училище, я сразу сообщу вам об этом.",
            "Всего у нас в семье трое детей, из них один школьного возраста. Прошу проверить, "
            "положена ли нам также доплата для большой семьи, и принять решение с учётом этого.",
        ),
        "eng": (
            "Our child was born recently and I would like the monthly child allowance to be "
            "paid for them. The child lives with me at the same address and is registered at my "
            "home in the population register.",
            "At the moment the child goes to nursery and will start school later. If the child "
            "moves or goes on to study at a vocational college, I will tell you straight away.",
            "There are three children in our family altogether, one of them of school age. "
            "Please check whether we can also get the extra money paid to larger families and "
            "decide on that basis.",
        ),
    },
    closing={
        "est": (
            "Raha palun kanda minu kontole, mille number on eespool. Kinnitan, et andmed on "
            "õiged, ja annan muudatustest teada.",
            "Lisan koopia lapse sünnitõendist. Kui vajate veel midagi, andke palun teada "
            "telefoni või e-kirja teel.",
        ),
        "rus": (
            "Деньги прошу перечислять на мой счёт, номер которого указан выше. Подтверждаю, что "
            "сведения верны, и сообщу об изменениях.",
            "Прилагаю копию свидетельства о рождении ребёнка. Если нужно что-то ещё, сообщите "
            "мне по телефону или по электронной почте.",
        ),
        "eng": (
            "Please pay the money into my account, whose number is given above. I confirm these "
            "details are right and will report any changes.",
            "I attach a copy of the child's birth certificate. If you need anything else, "
            "please let me know by phone or e-mail.",
        ),
    },
)

_DISABILITY = Template(  # a client asking, in other words, for the disability to be assessed
    titles={
        "est": ("PALUN HINNATA MINU PUUET", "ABIVAJADUSE HINDAMINE"),
        "rus": ("ПРОСЬБА ОЦЕНИТЬ ОГРАНИЧЕНИЯ ЗДОРОВЬЯ", "ОЦЕНКА ПОТРЕБНОСТИ В ПОМОЩИ"),
        "eng": ("PLEASE ASSESS MY IMPAIRMENT", "ASSESSMENT OF MY NEED FOR HELP"),
    },
    roles=("applicant", "representative"),
    default_persons=1,
    sections=(("certificate", ("institution", "doctor")),),
    headers=_ADDRESSEE,
    table="attachments",
    table_heading="attached",
    paragraphs={
        "est": (
            "Palun hinnata minu puuet ja määrata selle raskusaste. Pärast insulti olen juba üle "
            "poole aasta vajanud teise inimese abi, nt söögi tegemisel, poes käimisel, ravimite "
            "võtmisel jms.",
            "Minu eriarst ja perearst võivad teile anda vajalikku teavet minu tervise kohta; olen "
            "nõus, et amet pärib andmeid ka digiloost. Kui vaja, tulen ise kohale vestlusele.",
            "Kodus saan hakkama vaid osaliselt: trepist käin käsipuust kinni hoides, duši all ja "
            "riideid selga pannes aitab tütar, õues liigun ratastooli või rulaatoriga. Käin kaks "
            "korda nädalas taastusravil.",
        ),
        "rus": (
            "Прошу оценить мои ограничения по здоровью и определить их степень. После инсульта "
            "я уже больше полугода нуждаюсь в помощи другого человека, напр. при приготовлении "
            "еды, походах в магазин, приёме лекарств и т. п.",
            "Мой врач-специалист и семейный врач могут предоставить вам нужные сведения о моём "
            "здоровье; согласен(на), чтобы департамент запросил данные и из цифровой истории "
            "болезни. Если нужно, приду на беседу сам(а).",
            "Дома я справляюсь только частично: по лестнице хожу, держась за поручень, в душе и "
            "при одевании помогает дочь, на улице передвигаюсь на коляске или с ходунками. "
            "Дважды в неделю хожу на реабилитацию.",
        ),
        "eng": (
            "Please assess my impairment and decide how severe it is. Since my stroke more than "
            "six months ago I have needed another person's help, e.g. with cooking, shopping, "
            "taking my medicines etc.",
            "My specialist and my GP can give you the information you need about my health, and "
            "I agree that the Board may also look at my digital health records. If needed, I "
            "will come in for an interview.",
            "At home I manage only in part: I hold on to the handrail on the stairs, my daughter "
            "helps me in the shower and with getting dressed, and outdoors I use a wheelchair or "
            "a walker. I go to rehab twice a week.",
        ),
    },
    closing={
        "est": (
            "Kinnitan, et kirjeldatu vastab tegelikkusele. Otsusest palun teatada mulle kirja "
            "teel või helistada mu tütrele.",
            "Lisan viimased ravidokumendid ja haigla epikriisi. Luban küsida täiendavaid andmeid "
            "ka rehabilitatsioonikeskusest.",
        ),
        "rus": (
            "Подтверждаю, что описанное соответствует действительности. О решении прошу "
            "сообщить письмом или позвонить моей дочери.",
            "Прилагаю последние медицинские документы и выписку из больницы. Разрешаю запросить "
            "дополнительные сведения также в центре реабилитации.",
        ),
        "eng": (
            "I confirm that what I have described is true. Please tell me the decision by letter "
            "or ring my daughter.",
            "I enclose my latest medical records and the hospital discharge summary. You may "
            "also ask the rehabilitation centre for further details.",
        ),
    },
)

_ATTORNEY = Template(  # a mandate written out by the client, as a notary would word it
    titles={
        "est": ("VOLITUS", "VOLITUSE ANDMINE"),
        "rus": ("ПЕРЕДАЧА ПОЛНОМОЧИЙ", "РАЗРЕШЕНИЕ ДЕЙСТВОВАТЬ ОТ МОЕГО ИМЕНИ"),
        "eng": ("AUTHORISATION", "MANDATE TO ACT ON MY BEHALF"),
    },
    roles=("principal", "attorney"),
    default_persons=2,
    sections=(("authority", ("valid_until",)),),
    paragraphs={
        "est": (
            "Käesolevaga annan allpool nimetatud isikule õiguse ajada minu eest asju "
            "Sotsiaalkindlustusametis, sh esitada taotlusi, saada teavet minu pensioni ja "
            "toetuste kohta ning võtta vastu otsuseid.",
            "Esindajal on lubatud minu nimel alla kirjutada avaldustele, tutvuda minu toimikuga "
            "ja teatada uuest pangakontost. Õigust anda volitust edasi kolmandatele isikutele ei "
            "ole.",
            "Annan volituse, kuna viibin pikemat aega haiglas ega saa ise asjaajamisega tegeleda. "
            "Võin volituse igal ajal tühistada, teatades sellest ametile kirjalikult või "
            "digiallkirjastatud kirjaga.",
        ),
        "rus": (
            "Настоящим предоставляю указанному ниже лицу право вести мои дела в Департаменте "
            "социального страхования, в т. ч. подавать ходатайства, получать сведения о моей "
            "пенсии и пособиях, а также получать решения.",
            "Представителю разрешается подписывать от моего имени заявления, знакомиться с моим "
            "делом и сообщать о новом счёте в банке. Права передавать полномочия третьим лицам "
            "нет.",
            "Полномочия предоставляются, так как я длительное время нахожусь в больнице и не "
            "могу сам(а) заниматься делами. Я вправе в любой момент их отменить, письменно "
            "уведомив департамент.",
        ),
        "eng": (
            "I give the person named below the right to handle my affairs with the Social "
            "Insurance Board, incl. making claims, getting information on my pension and "
            "benefits, and receiving decisions.",
            "My representative may sign forms for me, look at my case file and report new bank "
            "details. They may not pass this mandate on to anyone else.",
            "I am giving this mandate because I will be in hospital for a long time and cannot "
            "deal with these matters myself. I may cancel it at any time by telling the Board in "
            "writing.",
        ),
    },
    closing={
        "est": (
            "Volitus on koostatud kahes eksemplaris ja allkirjastatud minu vaba tahte kohaselt. "
            "Volituse andja isik on tuvastatud isikut tõendava dokumendi alusel.",
            "Kinnitan oma allkirjaga, et olen volituse sisust aru saanud ja see vastab minu "
            "tahtele.",
        ),
        "rus": (
            "Документ составлен в двух экземплярах и подписан по моей доброй воле. Личность "
            "лица, передающего полномочия, установлена по документу, удостоверяющему личность.",
            "Своей подписью подтверждаю, что содержание документа мне понятно и соответствует "
            "моей воле.",
        ),
        "eng": (
            "This document is made in two copies and signed of my own free will. The identity "
            "of the person giving the mandate has been checked against an identity document.",
            "By signing I confirm that I understand this mandate and that it reflects my wishes.",
        ),
    },
)

_MEDICAL = Template(  # a hospital's discharge summary or a family doctor's statement
    titles={
        "est": ("TÕEND TERVISESEISUNDI KOHTA", "EPIKRIIS", "TÕEND"),
        "rus": ("ВЫПИСКА ИЗ ИСТОРИИ БОЛЕЗНИ", "СПРАВКА О СОСТОЯНИИ ЗДОРОВЬЯ", "СПРАВКА"),
        "eng": ("DISCHARGE SUMMARY", "STATEMENT OF HEALTH"),
    },
    roles=("patient", "representative"),
    default_persons=1,
    sections=(("certificate", ("doctor", "doctor_code", "diagnosis")),),
    headers=same(*_words.INSTITUTIONS),
    paragraphs={
        "est": (
            "Patsient viibis statsionaarsel ravil sisehaiguste osakonnas. Haiglas tehti "
            "uuringud (sh vereanalüüsid, EKG, kompuutertomograafia), alustati ravimitega ning "
            "seisund paranes rahuldavaks.",
            "Edasi jätkub ravi kodus perearsti jälgimisel. Soovitatud on vältida füüsilist "
            "koormust, võtta määratud ravimeid edasi ning tulla kahe nädala pärast kontrolli.",
            "Tervisehäire tõttu on isiku igapäevane toimetulek piiratud: ta vajab abi kodutöödel "
            "ja liikumisel väljaspool kodu. Näidustatud on füsioteraapia ja abivahendid (nt "
            "käimisraam).",
        ),
        "rus": (
            "Пациент находился на стационарном лечении в отделении внутренних болезней. В "
            "больнице проведены обследования (в т. ч. анализы крови, ЭКГ, компьютерная "
            "томография), начато лечение препаратами, состояние улучшилось до "
            "удовлетворительного.",
            "Дальнейшее лечение проводится на дому под наблюдением семейного врача. "
            "Рекомендовано избегать физической нагрузки, продолжать приём назначенных "
            "препаратов и явиться на контроль через две недели.",
            "Из-за нарушения здоровья повседневная самостоятельность лица ограничена: требуется "
            "помощь в домашних делах и при передвижении вне дома. Показаны физиотерапия и "
            "вспомогательные средства (напр. ходунки).",
        ),
        "eng": (
            "The patient was admitted to the internal medicine ward. Tests were carried out in "
            "hospital (incl. blood tests, ECG and a CT scan), medication was started and the "
            "condition improved to satisfactory.",
            "Treatment now continues at home under the supervision of the GP. Physical strain "
            "should be avoided, the prescribed medicines continued and a check-up attended in "
            "two weeks.",
            "Owing to the health problem, the person's everyday coping is limited: help is "
            "needed with housework and with getting about outside the home. Physiotherapy and "
            "aids (e.g. a walking frame) are indicated.",
        ),
    },
    closing={
        "est": (
            "Tõend on koostatud haigusloo alusel ja antakse isikule kaasa esitamiseks "
            "asjaomastele asutustele.",
            "Epikriisi on allkirjastanud raviarst. Küsimuste korral palume pöörduda osakonna "
            "registratuuri.",
        ),
        "rus": (
            "Справка составлена на основании истории болезни и выдана на руки для представления "
            "по месту требования.",
            "Выписка подписана лечащим врачом. По вопросам просим обращаться в регистратуру "
            "отделения.",
        ),
        "eng": (
            "This statement is based on the medical record and is handed to the person for "
            "presentation where required.",
            "The discharge summary is signed by the attending doctor. For questions, please "
            "contact the ward's reception desk.",
        ),
    },
)

_BANK = Template(  # a client's notice of new bank details
    titles={
        "est": ("TEADE PANGAANDMETE MUUTMISEST", "UUS KONTONUMBER"),
        "rus": ("УВЕДОМЛЕНИЕ О СМЕНЕ БАНКОВСКИХ РЕКВИЗИТОВ", "НОВЫЙ НОМЕР СЧЁТА"),
        "eng": ("NOTICE OF NEW BANK DETAILS", "MY NEW ACCOUNT NUMBER"),
    },
    roles=("applicant", "representative"),
    default_persons=1,
    sections=(("payment", ("iban", "bank", "old_iban")),),
    headers=_ADDRESSEE,
    paragraphs={
        "est": (
            "Teatan, et olen avanud uue arvelduskonto ja soovin, et edaspidi kantaks mulle "
            "makstav pension ning kõik toetused just sellele kontole. Vana konto suletakse kuu "
            "lõpus.",
            "Konto omanik olen mina ise ja kellelgi teisel sellele kasutusõigust ei ole. Kui "
            "selle kuu makse on juba teele pandud, võib see laekuda veel vanale kontole, millega "
            "olen nõus.",
            "Panga vahetuse põhjus on kolimine teise linna, kus vana panga kontorit enam ei ole. "
            "Uue konto andmed on näha ka lisatud pangaväljavõttelt.",
        ),
        "rus": (
            "Сообщаю, что открыл(а) новый расчётный счёт, и прошу впредь перечислять мою пенсию "
            "и все пособия именно на него. Старый счёт будет закрыт в конце месяца.",
            "Владельцем счёта являюсь я сам(а), права пользоваться им ни у кого другого нет. "
            "Если выплата за этот месяц уже отправлена, она может поступить ещё на старый счёт, "
            "с чем я согласен(на).",
            "Причина смены банка – переезд в другой город, где отделения прежнего банка больше "
            "нет. Реквизиты нового счёта видны и в приложенной выписке из банка.",
        ),
        "eng": (
            "I am writing to tell you that I have opened a new account and would like my pension "
            "and all benefits to be paid into it from now on. My old account will be closed at "
            "the end of the month.",
            "I am the sole holder of the account, and nobody else has the right to use it. If "
            "this month's payment has already been sent, it may still reach the old account, "
            "which I accept.",
            "I am changing banks because I have moved to another town where my old bank no "
            "longer has a branch. The new details can also be seen on the enclosed statement.",
        ),
    },
    closing={
        "est": (
            "Palun kinnitada muudatuse tegemist e-kirjaga. Tänan!",
            "Kinnitan, et uus konto kuulub mulle ja andmed on õiged. Muudatusest teatan ka oma "
            "pangale.",
        ),
        "rus": (
            "Прошу подтвердить внесение изменения по электронной почте. Спасибо!",
            "Подтверждаю, что новый счёт принадлежит мне и сведения верны. Об изменении я "
            "сообщу и своему банку.",
        ),
        "eng": (
            "Please confirm by e-mail that the change has been made. Thank you!",
            "I confirm that the new account is mine and the details are correct. I will also "
            "tell my bank about the change.",
        ),
    },
)

_DEATH = Template(  # an extract of the population register, issued by a registry office
    titles={
        "est": ("VÄLJAVÕTE RAHVASTIKUREGISTRIST", "REGISTRIVÄLJAVÕTE ISIKU SURMA KANDE KOHTA"),
        "rus": ("ВЫПИСКА ИЗ РЕГИСТРА НАРОДОНАСЕЛЕНИЯ", "ВЫПИСКА ОБ АКТОВОЙ ЗАПИСИ"),
        "eng": ("EXTRACT FROM THE POPULATION REGISTER", "REGISTER EXTRACT: ENTRY OF A DEATH"),
    },
    roles=("deceased", "informant"),
    default_persons=2,
    sections=(("registration", ("record_number", "record_date", "death_date", "death_place")),),
    headers=same(*_words.REGISTRY_OFFICES),
    paragraphs={
        "est": (
            "Rahvastikuregistri andmetel suri ülal nimetatud isik märgitud kuupäeval. Kanne on "
            "tehtud tervishoiuteenuse osutaja esitatud surma põhjuse teatise alusel.",
            "Väljavõte sisaldab registrisse kantud andmeid seisuga väljastamise päeval. Hilisemad "
            "parandused kantakse registrisse eraldi märkega ega kajastu käesolevas dokumendis.",
            "Lähedased saavad väljavõtte alusel korraldada matused, taotleda matusetoetust ja "
            "toitjakaotuspensioni ning alustada notari juures pärimismenetlust.",
        ),
        "rus": (
            "По данным регистра народонаселения вышеуказанное лицо скончалось в указанный день. "
            "Запись внесена на основании извещения о причине смерти, представленного "
            "поставщиком медицинских услуг.",
            "Выписка содержит внесённые в регистр сведения по состоянию на день её выдачи. "
            "Последующие исправления вносятся в регистр отдельной отметкой и в настоящем "
            "документе не отражаются.",
            "На основании выписки близкие могут организовать похороны, ходатайствовать о "
            "пособии на погребение и пенсии по потере кормильца, а также начать у нотариуса "
            "наследственное производство.",
        ),
        "eng": (
            "According to the population register, the person named above died on the date "
            "shown. The entry was made on the basis of the notice of the cause of death "
            "submitted by the healthcare provider.",
            "This extract contains the data entered in the register as at the day of issue. "
            "Later corrections are entered in the register as a separate note and are not "
            "reflected in this document.",
            "On the basis of this extract, the family can arrange the funeral, claim the "
            "funeral grant and a survivor's pension, and open succession proceedings with a "
            "notary.",
        ),
    },
    closing={
        "est": (
            "Väljavõte on koostatud elektrooniliselt ja kinnitatud ametniku allkirjaga.",
            "Väljavõte väljastati avaldaja nõudmisel. Andmete õigsust saab kontrollida "
            "rahvastikuregistrist.",
        ),
        "rus": (
            "Выписка составлена в электронном виде и заверена подписью должностного лица.",
            "Выписка выдана по требованию заявителя. Достоверность сведений можно проверить в "
            "регистре народонаселения.",
        ),
        "eng": (
            "This extract has been produced electronically and certified by the signature of an "
            "official.",
            "The extract was issued at the request of the applicant. The data can be checked in "
            "the population register.",
        ),
    },
)

# The second wording of each type that had one: a template of `TEMPLATES` after the first.
OTHER_WORDINGS: Mapping[str, Template] = {
    "pension_application": _PENSION,
    "family_benefit_application": _FAMILY,
    "disability_assessment_application": _DISABILITY,
    "power_of_attorney": _ATTORNEY,
    "medical_certificate": _MEDICAL,
    "bank_account_change": _BANK,
    "death_certificate": _DEATH,
}
