# ruff: noqa: E501 - one translation per line reads better than wrapped strings
"""Translations of the messages services, serializers and the API add (errors, validation, hints, admin notices).

Merged into `translations.T` by `python locale/translations.py`; kept apart from the screens' strings so the two
tables can be reviewed on their own. Same shape: msgid -> (ru, kk, tr); every %(name)s of the msgid kept.
"""

MESSAGES = {
    "Everything (runs without a scope)": (
        "Всё (запуски без области)",
        "Барлығы (аясыз іске қосулар)",
        "Tümü (kapsamsız çalıştırmalar)",
    ),
    "; and %(count)d more": (
        "; и ещё %(count)d",
        "; және тағы %(count)d",
        "; ve %(count)d tane daha",
    ),
    'run #%(id)s is %(status)s (stage %(stage)s) on %(where)s; wait for it to finish before starting another': (
        'запуск #%(id)s в статусе %(status)s (этап %(stage)s) на %(where)s; дождитесь его завершения, прежде чем начинать новый',
        '#%(id)s іске қосу %(status)s күйінде (%(stage)s кезеңі), %(where)s; жаңасын бастамас бұрын оның аяқталуын күтіңіз',
        '#%(id)s çalıştırması %(status)s durumunda (%(stage)s aşaması), %(where)s üzerinde; yenisini başlatmadan önce bitmesini bekleyin',
    ),
    'forecast scope %(name)r': (
        'прогнозная область %(name)r',
        'болжам аясы %(name)r',
        'tahmin kapsamı %(name)r',
    ),
    'scope %(name)r': (
        'область %(name)r',
        'ая %(name)r',
        'kapsam %(name)r',
    ),
    'scope %(name)r (no scope)': (
        'область %(name)r (без области)',
        'ая %(name)r (аясыз)',
        'kapsam %(name)r (kapsamsız)',
    ),
    'name: give the scope a name': (
        'name: задайте области название',
        'name: аяға атау беріңіз',
        'name: kapsama bir ad verin',
    ),
    'name: %(name)r is the name of runs without a scope': (
        'name: %(name)r — так называются запуски без области',
        'name: %(name)r — аясыз іске қосулардың атауы',
        'name: %(name)r, kapsamı olmayan çalıştırmaların adıdır',
    ),
    'name: scope #%(id)s is already called %(name)r': (
        'name: область #%(id)s уже называется %(name)r',
        'name: #%(id)s аясы %(name)r деп аталған',
        'name: #%(id)s kapsamının adı zaten %(name)r',
    ),
    '%(busy)s, which overlaps %(scope)s': (
        '%(busy)s, которая пересекается с %(scope)s',
        '%(busy)s, ол %(scope)s аясымен қиылысады',
        '%(busy)s, %(scope)s ile çakışıyor',
    ),
    'waiting for a worker': (
        'ожидает обработчика',
        'өңдеушіні күтуде',
        'bir işçi bekleniyor',
    ),
    'days: must be a whole number of days, 0 or more, got %(value)r': (
        'days: нужно целое число дней, 0 или больше, получено %(value)r',
        'days: 0 немесе одан көп бүтін күн саны қажет, алынғаны %(value)r',
        'days: 0 veya daha büyük tam gün sayısı olmalı, gelen %(value)r',
    ),
    '%(field)s: no %(model)s with id %(value)r': (
        '%(field)s: нет объекта «%(model)s» с id %(value)r',
        '%(field)s: id %(value)r бар «%(model)s» жоқ',
        "%(field)s: id'si %(value)r olan %(model)s yok",
    ),
    '%(field)s: no forecast scope with name or id %(value)r': (
        '%(field)s: нет прогнозной области с названием или id %(value)r',
        '%(field)s: атауы немесе id %(value)r болатын болжам аясы жоқ',
        "%(field)s: adı veya id'si %(value)r olan tahmin kapsamı yok",
    ),
    'scope: a run on forecast scope %(name)r reads that scope; leave location, product and category empty': (
        'scope: запуск по прогнозной области %(name)r читает эту область; оставьте location, product и category пустыми',
        'scope: %(name)r болжам аясындағы іске қосу сол аяны оқиды; location, product және category бос қалдырыңыз',
        'scope: %(name)r tahmin kapsamındaki bir çalıştırma o kapsamı okur; location, product ve category alanlarını boş bırakın',
    ),
    'location: a scope needs a location or a category root; runs without a scope already cover everything': (
        'location: области нужен корень по точкам или по категориям; запуски без области и так охватывают всё',
        'location: аяға орын немесе санат түбірі қажет; аясыз іске қосулар бәрін қамтиды',
        'location: bir kapsamın bir konum veya kategori köküne ihtiyacı var; kapsamsız çalıştırmalar zaten her şeyi kapsar',
    ),
    '%(field)s: overlaps active scope %(name)r (#%(id)s); active scopes must be disjoint so the nightly job can run them side by side — narrow one or deactivate it': (
        '%(field)s: пересекается с активной областью %(name)r (#%(id)s); активные области не должны пересекаться, чтобы ночное задание могло считать их параллельно — сузьте одну или отключите её',
        '%(field)s: белсенді %(name)r аясымен (#%(id)s) қиылысады; түнгі тапсырма оларды қатар орындай алуы үшін белсенді аялар қиылыспауы керек — біреуін тарылтыңыз немесе өшіріңіз',
        '%(field)s: etkin %(name)r kapsamıyla (#%(id)s) çakışıyor; gece işinin bunları yan yana çalıştırabilmesi için etkin kapsamlar ayrık olmalı — birini daraltın veya devre dışı bırakın',
    ),
    "%(field)s of %(instance)r is synced from %(source)r; change it there, the next sync overwrites it here.": (
        "%(field)s у %(instance)r синхронизируется из %(source)r; измените его там, следующая синхронизация перезапишет его здесь.",
        "%(instance)r үшін %(field)s %(source)r жүйесінен синхрондалады; оны сонда өзгертіңіз, келесі синхрондау мұнда қайта жазады.",
        "%(instance)r kaydının %(field)s alanı %(source)r kaynağından eşitlenir; orada değiştirin, bir sonraki eşitleme burayı üzerine yazar.",
    ),
    "%(parent)r is %(instance)r itself or below it; a node cannot move under its own subtree.": (
        "%(parent)r — это сам %(instance)r или узел под ним; узел нельзя переместить внутрь собственного поддерева.",
        "%(parent)r — %(instance)r өзі немесе оның астындағы түйін; түйінді өз ішкі ағашына жылжытуға болмайды.",
        "%(parent)r, %(instance)r kaydının kendisi veya altında; bir düğüm kendi alt ağacının altına taşınamaz.",
    ),
    "%(instance)r is synced from %(source)r: it is deactivated when it leaves the source's feed, never deleted here.": (
        "%(instance)r синхронизируется из %(source)r: он деактивируется, когда пропадает из выгрузки источника, и никогда не удаляется здесь.",
        "%(instance)r %(source)r жүйесінен синхрондалады: ол дереккөз тізімінен шыққанда өшіріледі, мұнда ешқашан жойылмайды.",
        "%(instance)r, %(source)r kaynağından eşitlenir: kaynağın akışından çıktığında pasifleştirilir, burada asla silinmez.",
    ),
    "%(instance)r still has child locations or data pointing at it; move or delete those first, or set is_active=false.": (
        "У %(instance)r ещё есть дочерние точки или данные, ссылающиеся на него; сначала переместите или удалите их либо установите is_active=false.",
        "%(instance)r әлі де еншілес нүктелері немесе оған сілтейтін деректері бар; алдымен оларды жылжытыңыз не жойыңыз, немесе is_active=false қойыңыз.",
        "%(instance)r hâlâ alt lokasyonlara veya ona bağlı verilere sahip; önce bunları taşıyın ya da silin veya is_active=false yapın.",
    ),
    "%(name)s must be a whole number, got %(value)r.": (
        "%(name)s должно быть целым числом, получено %(value)r.",
        "%(name)s бүтін сан болуы керек, алынғаны %(value)r.",
        "%(name)s tam sayı olmalı, gelen değer %(value)r.",
    ),
    "%(label)s: the tree is too deep to store: the path of node %(too_deep)r is longer than %(TREE_PATH_MAX)s characters (%(count)s nodes affected). Nothing was changed.": (
        "%(label)s: дерево слишком глубокое для хранения: путь узла %(too_deep)r длиннее %(TREE_PATH_MAX)s символов (затронуто узлов: %(count)s). Ничего не изменено.",
        "%(label)s: ағаш сақтау үшін тым терең: %(too_deep)r түйінінің жолы %(TREE_PATH_MAX)s таңбадан ұзын (%(count)s түйін қамтылды). Ештеңе өзгертілмеді.",
        "%(label)s: ağaç saklanamayacak kadar derin: %(too_deep)r düğümünün yolu %(TREE_PATH_MAX)s karakterden uzun (%(count)s düğüm etkilendi). Hiçbir şey değiştirilmedi.",
    ),
    "apply_org_feed supports PostgreSQL and SQLite, not %(vendor)s.": (
        "apply_org_feed поддерживает PostgreSQL и SQLite, но не %(vendor)s.",
        "apply_org_feed PostgreSQL мен SQLite-ты қолдайды, %(vendor)s қолдамайды.",
        "apply_org_feed PostgreSQL ve SQLite destekler, %(vendor)s desteklemez.",
    ),
    "%(location)s cannot be its own parent.": (
        "%(location)s не может быть собственным родителем.",
        "%(location)s өзінің ата-түйіні бола алмайды.",
        "%(location)s kendi üst öğesi olamaz.",
    ),
    "%(location)s cannot be placed below its own descendant %(parent)s.": (
        "%(location)s нельзя поместить под собственного потомка %(parent)s.",
        "%(location)s өзінің ұрпағы %(parent)s астына қойыла алмайды.",
        "%(location)s kendi alt öğesi %(parent)s altına yerleştirilemez.",
    ),
    "The request conflicts with the current state of the resource.": (
        "Запрос противоречит текущему состоянию ресурса.",
        "Сұрау ресурстың ағымдағы күйіне қайшы келеді.",
        "İstek, kaynağın mevcut durumuyla çakışıyor.",
    ),
    "The request is well-formed but cannot be processed.": (
        "Запрос составлен верно, но не может быть обработан.",
        "Сұрау дұрыс құрылған, бірақ өңделе алмайды.",
        "İstek doğru biçimde, ancak işlenemiyor.",
    ),
    "A value in the request is out of range for its field (ids and counts are 64-bit integers).": (
        "Значение в запросе вне допустимого диапазона поля (идентификаторы и количества — 64-битные целые).",
        "Сұраудағы мән өз өрісінің ауқымынан тыс (идентификаторлар мен сандар — 64-биттік бүтін сандар).",
        "İstekteki bir değer, alanının aralığı dışında (kimlikler ve sayılar 64 bit tam sayıdır).",
    ),
    "Query parameters sent: %(names)s.": (
        "Переданные параметры запроса: %(names)s.",
        "Жіберілген сұрау параметрлері: %(names)s.",
        "Gönderilen sorgu parametreleri: %(names)s.",
    ),
    " and ": (
        " и ",
        " және ",
        " ve ",
    ),
    "Another row already has this %(fields)s; choose another value or edit that row.": (
        "Другая строка уже имеет такое значение %(fields)s; выберите другое значение или измените ту строку.",
        "Басқа жолда бұл %(fields)s бұрыннан бар; басқа мән таңдаңыз немесе сол жолды өзгертіңіз.",
        "Başka bir satır zaten bu %(fields)s değerine sahip; başka bir değer seçin veya o satırı düzenleyin.",
    ),
    "The change conflicts with existing data (a unique or reference constraint).": (
        "Изменение противоречит существующим данным (ограничение уникальности или ссылки).",
        "Өзгеріс бар деректерге қайшы келеді (бірегейлік немесе сілтеме шектеуі).",
        "Değişiklik mevcut verilerle çakışıyor (benzersizlik veya başvuru kısıtı).",
    ),
    "Not found.": (
        "Не найдено.",
        "Табылмады.",
        "Bulunamadı.",
    ),
    "Bad request: the Host header names a host this server does not answer for.": (
        "Неверный запрос: в заголовке Host указан хост, который этот сервер не обслуживает.",
        "Қате сұрау: Host тақырыбында бұл сервер қызмет көрсетпейтін хост көрсетілген.",
        "Hatalı istek: Host başlığı bu sunucunun yanıt vermediği bir sunucuyu gösteriyor.",
    ),
    "The user's password has been changed.": (
        "Пароль пользователя был изменён.",
        "Пайдаланушының құпиясөзі өзгертілді.",
        "Kullanıcının parolası değiştirildi.",
    ),
    "Forecast chart": ("График прогноза", "Болжам графигі", "Tahmin grafiği"),
    "forecast of record (each scope's newest run)": (
        "действующий прогноз (последний запуск каждой области)",
        "қолданыстағы болжам (әр аяның соңғы іске қосылуы)",
        "geçerli tahmin (her kapsamın en yeni çalıştırması)",
    ),
    "no succeeded run yet": (
        "успешных запусков пока нет",
        "сәтті іске қосу әлі жоқ",
        "henüz başarılı çalıştırma yok",
    ),
    "Sales history, forecast with its p10–p90 range, and arrived actuals": (
        "История продаж, прогноз с диапазоном p10–p90 и поступившие фактические продажи",
        "Сату тарихы, p10–p90 аралығымен болжам және түскен нақты сатулар",
        "Satış geçmişi, p10–p90 aralığıyla tahmin ve gelen gerçekleşen satışlar",
    ),
    "Series as JSON": ("Ряд в формате JSON", "Қатар JSON пішімінде", "JSON olarak seri"),
    "Run #%(run)s": ("Запуск №%(run)s", "№%(run)s іске қосу", "%(run)s numaralı çalıştırma"),
    "Blue: recorded sales. Orange line: forecast (mean); shaded: the range in which 8 of 10 days should fall (p10–p90). Black dots: actual sales of forecast days that have arrived.": (
        "Синим: записанные продажи. Оранжевая линия: прогноз (среднее); заливка: диапазон, в который должны попасть 8 дней из 10 (p10–p90). Чёрные точки: фактические продажи уже наступивших дней прогноза.",
        "Көк: тіркелген сатулар. Қызғылт сары сызық: болжам (орташа); бояу: 10 күннің 8-і түсуі тиіс аралық (p10–p90). Қара нүктелер: болжам күндерінің келген нақты сатулары.",
        "Mavi: kaydedilen satışlar. Turuncu çizgi: tahmin (ortalama); gölgeli alan: 10 günün 8'inin düşmesi gereken aralık (p10–p90). Siyah noktalar: gelmiş tahmin günlerinin gerçekleşen satışları.",
    ),
    'No forecasts to chart yet. Start a run from the <a href="%(runs_url)s">runs</a> page (action "Retrain now") or with <code>manage.py train_forecast</code>.': (
        'Прогнозов для графика пока нет. Запустите расчёт на странице <a href="%(runs_url)s">запусков</a> (действие «Retrain now») или командой <code>manage.py train_forecast</code>.',
        'Графикке болжам әлі жоқ. Есептеуді <a href="%(runs_url)s">іске қосулар</a> бетінен («Retrain now» әрекеті) немесе <code>manage.py train_forecast</code> командасымен бастаңыз.',
        'Henüz grafiği çizilecek tahmin yok. <a href="%(runs_url)s">Çalıştırmalar</a> sayfasından ("Retrain now" eylemi) veya <code>manage.py train_forecast</code> ile bir çalıştırma başlatın.',
    ),
    "Bad request.": (
        "Неверный запрос.",
        "Қате сұрау.",
        "Hatalı istek.",
    ),
    "No endpoint at %(path)s.": (
        "По адресу %(path)s нет конечной точки.",
        "%(path)s мекенжайында соңғы нүкте жоқ.",
        "%(path)s adresinde uç nokta yok.",
    ),
    "Internal server error. It has been logged.": (
        "Внутренняя ошибка сервера. Она записана в журнал.",
        "Сервердің ішкі қатесі. Ол журналға жазылды.",
        "Sunucu iç hatası. Günlüğe kaydedildi.",
    ),
    "contains the control character U+%(code_point)s at position %(start)s; remove it (it is invisible and breaks spreadsheets).": (
        "содержит управляющий символ U+%(code_point)s в позиции %(start)s; удалите его (он невидим и ломает электронные таблицы).",
        "%(start)s орнында U+%(code_point)s басқару таңбасы бар; оны алып тастаңыз (ол көрінбейді және кестелерді бұзады).",
        "%(start)s konumunda U+%(code_point)s denetim karakteri içeriyor; kaldırın (görünmez ve tabloları bozar).",
    ),
    "This login token is invalid or expired; log in again.": (
        "Этот токен входа недействителен или истёк; войдите снова.",
        "Бұл кіру токені жарамсыз немесе мерзімі өткен; қайта кіріңіз.",
        "Bu oturum açma belirteci geçersiz veya süresi dolmuş; yeniden giriş yapın.",
    ),
    "This account already has an authenticator; log in with its code, then enrol another one.": (
        "У этой учётной записи уже есть аутентификатор; войдите с его кодом, затем подключите другой.",
        "Бұл тіркелгіде аутентификатор бар; оның кодымен кіріп, содан кейін басқасын тіркеңіз.",
        "Bu hesabın zaten bir doğrulayıcısı var; onun koduyla giriş yapın, sonra başka birini kaydedin.",
    ),
    "Log in first, or send the otp_token of the login answer.": (
        "Сначала войдите или отправьте otp_token из ответа на вход.",
        "Алдымен кіріңіз немесе кіру жауабындағы otp_token жіберіңіз.",
        "Önce giriş yapın veya giriş yanıtındaki otp_token değerini gönderin.",
    ),
    "This code is not valid; enter the current code from your authenticator app or an unused backup code.": (
        "Этот код недействителен; введите текущий код из приложения-аутентификатора или неиспользованный резервный код.",
        "Бұл код жарамсыз; аутентификатор қолданбасындағы ағымдағы кодты немесе пайдаланылмаған резервтік кодты енгізіңіз.",
        "Bu kod geçerli değil; doğrulayıcı uygulamanızdaki güncel kodu veya kullanılmamış bir yedek kodu girin.",
    ),
    "page_size must be a whole number, got %(raw)r.": (
        "page_size должен быть целым числом, получено %(raw)r.",
        "page_size бүтін сан болуы керек, алынғаны %(raw)r.",
        "page_size tam sayı olmalı, gelen değer %(raw)r.",
    ),
    "page_size must be at least 1.": (
        "page_size должен быть не меньше 1.",
        "page_size кемінде 1 болуы керек.",
        "page_size en az 1 olmalı.",
    ),
    "page_size may be at most %(max_page_size)s; got %(size)s. Page through the results.": (
        "page_size может быть не больше %(max_page_size)s; получено %(size)s. Листайте результаты постранично.",
        "page_size ең көбі %(max_page_size)s бола алады; алынғаны %(size)s. Нәтижелерді бет бойынша қараңыз.",
        "page_size en fazla %(max_page_size)s olabilir; gelen değer %(size)s. Sonuçlarda sayfa sayfa ilerleyin.",
    ),
    "This reset link is invalid.": (
        "Эта ссылка для сброса недействительна.",
        "Бұл қалпына келтіру сілтемесі жарамсыз.",
        "Bu sıfırlama bağlantısı geçersiz.",
    ),
    "This reset link is invalid or has expired.": (
        "Эта ссылка для сброса недействительна или устарела.",
        "Бұл қалпына келтіру сілтемесі жарамсыз немесе мерзімі өткен.",
        "Bu sıfırlama bağlantısı geçersiz veya süresi dolmuş.",
    ),
    "%(tool)s is not installed; install the PostgreSQL client tools matching the server.": (
        "%(tool)s не установлен; установите клиентские утилиты PostgreSQL той же версии, что и сервер.",
        "%(tool)s орнатылмаған; серверге сәйкес PostgreSQL клиент құралдарын орнатыңыз.",
        "%(tool)s kurulu değil; sunucuyla uyumlu PostgreSQL istemci araçlarını kurun.",
    ),
    "%(tool)s failed: %(error)s": (
        "%(tool)s завершился с ошибкой: %(error)s",
        "%(tool)s қатемен аяқталды: %(error)s",
        "%(tool)s başarısız oldu: %(error)s",
    ),
    "Backups support SQLite and PostgreSQL, not %(vendor)s.": (
        "Резервные копии поддерживают SQLite и PostgreSQL, но не %(vendor)s.",
        "Сақтық көшірмелер SQLite пен PostgreSQL-ды қолдайды, %(vendor)s қолдамайды.",
        "Yedekler SQLite ve PostgreSQL destekler, %(vendor)s desteklemez.",
    ),
    "keep must be at least 1: pruning every backup is never what you want.": (
        "keep должен быть не меньше 1: удалить все резервные копии — это никогда не то, что нужно.",
        "keep кемінде 1 болуы керек: барлық сақтық көшірмені жою ешқашан қажет емес.",
        "keep en az 1 olmalı: tüm yedekleri silmek asla istediğiniz şey değildir.",
    ),
    "%(path)s is not a backup: it has no %(MANIFEST)s.": (
        "%(path)s — не резервная копия: в ней нет %(MANIFEST)s.",
        "%(path)s сақтық көшірме емес: онда %(MANIFEST)s жоқ.",
        "%(path)s bir yedek değil: %(MANIFEST)s dosyası yok.",
    ),
    "%(path)s has backup format %(format)s; this version reads %(FORMAT_VERSION)s.": (
        "%(path)s имеет формат резервной копии %(format)s; эта версия читает %(FORMAT_VERSION)s.",
        "%(path)s сақтық көшірме пішімі %(format)s; бұл нұсқа %(FORMAT_VERSION)s оқиды.",
        "%(path)s yedek biçimi %(format)s; bu sürüm %(FORMAT_VERSION)s okur.",
    ),
    "%(manifest_file)s is truncated or damaged (not the JSON a backup writes); choose another backup.": (
        "%(manifest_file)s обрезан или повреждён (это не тот JSON, что пишет резервное копирование); выберите другую копию.",
        "%(manifest_file)s қысқартылған немесе бүлінген (сақтық көшірме жазатын JSON емес); басқа көшірмені таңдаңыз.",
        "%(manifest_file)s kesik veya hasarlı (yedeğin yazdığı JSON değil); başka bir yedek seçin.",
    ),
    "%(manifest_file)s does not list %(needed)s; the backup is incomplete, choose another one.": (
        "В %(manifest_file)s нет %(needed)s; резервная копия неполная, выберите другую.",
        "%(manifest_file)s ішінде %(needed)s жоқ; сақтық көшірме толық емес, басқасын таңдаңыз.",
        "%(manifest_file)s, %(needed)s öğelerini listelemiyor; yedek eksik, başka birini seçin.",
    ),
    "%(file)s is missing or damaged (checksum mismatch); choose another backup.": (
        "%(file)s отсутствует или повреждён (контрольная сумма не совпадает); выберите другую резервную копию.",
        "%(file)s жоқ немесе бүлінген (бақылау сомасы сәйкес емес); басқа сақтық көшірмені таңдаңыз.",
        "%(file)s eksik veya hasarlı (sağlama toplamı uyuşmuyor); başka bir yedek seçin.",
    ),
    "The backup is of a %(vendor)s database; this installation uses %(vendor2)s.": (
        "Резервная копия сделана с базы %(vendor)s; эта установка использует %(vendor2)s.",
        "Сақтық көшірме %(vendor)s дерекқорынан жасалған; бұл орнату %(vendor2)s пайдаланады.",
        "Yedek bir %(vendor)s veritabanına ait; bu kurulum %(vendor2)s kullanıyor.",
    ),
    "%(file)s is not a readable SQLite database (%(exc)s); choose another backup.": (
        "%(file)s — нечитаемая база SQLite (%(exc)s); выберите другую резервную копию.",
        "%(file)s оқылатын SQLite дерекқоры емес (%(exc)s); басқа сақтық көшірмені таңдаңыз.",
        "%(file)s okunabilir bir SQLite veritabanı değil (%(exc)s); başka bir yedek seçin.",
    ),
    "%(file)s fails SQLite's integrity check (%(value)s); choose another backup.": (
        "%(file)s не проходит проверку целостности SQLite (%(value)s); выберите другую резервную копию.",
        "%(file)s SQLite тұтастық тексерісінен өтпейді (%(value)s); басқа сақтық көшірмені таңдаңыз.",
        "%(file)s SQLite bütünlük denetiminden geçmiyor (%(value)s); başka bir yedek seçin.",
    ),
    "%(file)s is truncated or damaged (%(error)s); choose another backup.": (
        "%(file)s обрезан или повреждён (%(error)s); выберите другую резервную копию.",
        "%(file)s қысқартылған немесе бүлінген (%(error)s); басқа сақтық көшірмені таңдаңыз.",
        "%(file)s kesik veya hasarlı (%(error)s); başka bir yedek seçin.",
    ),
    "%(path)s is truncated or damaged (%(name)s: %(exc)s); nothing was restored, choose another backup.": (
        "%(path)s обрезан или повреждён (%(name)s: %(exc)s); ничего не восстановлено, выберите другую резервную копию.",
        "%(path)s қысқартылған немесе бүлінген (%(name)s: %(exc)s); ештеңе қалпына келтірілмеді, басқа сақтық көшірмені таңдаңыз.",
        "%(path)s kesik veya hasarlı (%(name)s: %(exc)s); hiçbir şey geri yüklenmedi, başka bir yedek seçin.",
    ),
    "Enter the current code from your authenticator app (or an unused backup code).": (
        "Введите текущий код из приложения-аутентификатора (или неиспользованный резервный код).",
        "Аутентификатор қолданбасындағы ағымдағы кодты (немесе пайдаланылмаған резервтік кодты) енгізіңіз.",
        "Doğrulayıcı uygulamanızdaki güncel kodu (veya kullanılmamış bir yedek kodu) girin.",
    ),
    "This account must set up a second factor first: log in to the admin (/admin/) and follow its enrolment page, or use POST /api/v1/auth/login/ and /api/v1/auth/otp/enrol/.": (
        "Для этой учётной записи сначала нужно настроить второй фактор: войдите в админку (/admin/) и пройдите страницу подключения или используйте POST /api/v1/auth/login/ и /api/v1/auth/otp/enrol/.",
        "Бұл тіркелгі алдымен екінші факторды баптауы керек: әкімшілік бөлімге (/admin/) кіріп, тіркеу бетін орындаңыз немесе POST /api/v1/auth/login/ және /api/v1/auth/otp/enrol/ пайдаланыңыз.",
        "Bu hesap önce ikinci bir doğrulama adımı kurmalı: yönetim paneline (/admin/) giriş yapıp kayıt sayfasını izleyin veya POST /api/v1/auth/login/ ve /api/v1/auth/otp/enrol/ kullanın.",
    ),
    "Cannot %(action)s: %(who)s is the last active admin, and nobody could administer the product afterwards.": (
        "Невозможно выполнить %(action)s: %(who)s — последний активный администратор, и после этого никто не сможет администрировать продукт.",
        "%(action)s орындау мүмкін емес: %(who)s — соңғы белсенді әкімші, одан кейін өнімді ешкім басқара алмайды.",
        "%(action)s yapılamaz: %(who)s son etkin yönetici; sonrasında ürünü kimse yönetemez.",
    ),
    "Give another active user the admin role (or make them a superuser) first, then try again.": (
        "Сначала дайте роль admin другому активному пользователю (или сделайте его суперпользователем), затем повторите.",
        "Алдымен басқа белсенді пайдаланушыға admin рөлін беріңіз (немесе оны суперпайдаланушы етіңіз), содан кейін қайталаңыз.",
        "Önce başka bir etkin kullanıcıya admin rolünü verin (veya onu süper kullanıcı yapın), sonra yeniden deneyin.",
    ),
    "No user with id %(user_id)s.": (
        "Нет пользователя с id %(user_id)s.",
        "id %(user_id)s пайдаланушы жоқ.",
        "%(user_id)s kimlikli kullanıcı yok.",
    ),
    "No role (group) named %(names)s; roles are: %(roles)s.": (
        "Нет роли (группы) с именем %(names)s; роли: %(roles)s.",
        "%(names)s атты рөл (топ) жоқ; рөлдер: %(roles)s.",
        "%(names)s adında rol (grup) yok; roller: %(roles)s.",
    ),
    "Only a superuser can make or unmake superusers.": (
        "Только суперпользователь может назначать и снимать суперпользователей.",
        "Суперпайдаланушыларды тек суперпайдаланушы тағайындап, алып тастай алады.",
        "Süper kullanıcıları yalnızca bir süper kullanıcı atayabilir veya kaldırabilir.",
    ),
    "Give the admin role instead (POST /api/v1/users/{id}/set-role/).": (
        "Вместо этого дайте роль admin (POST /api/v1/users/{id}/set-role/).",
        "Оның орнына admin рөлін беріңіз (POST /api/v1/users/{id}/set-role/).",
        "Bunun yerine admin rolünü verin (POST /api/v1/users/{id}/set-role/).",
    ),
    "Unknown user field(s): %(unknown)s.": (
        "Неизвестные поля пользователя: %(unknown)s.",
        "Белгісіз пайдаланушы өрістері: %(unknown)s.",
        "Bilinmeyen kullanıcı alanları: %(unknown)s.",
    ),
    "A user named %(username)r already exists.": (
        "Пользователь с именем %(username)r уже существует.",
        "%(username)r атты пайдаланушы бұрыннан бар.",
        "%(username)r adlı bir kullanıcı zaten var.",
    ),
    "Choose another username, or update the existing user.": (
        "Выберите другое имя пользователя или измените существующего пользователя.",
        "Басқа пайдаланушы атын таңдаңыз немесе бар пайдаланушыны жаңартыңыз.",
        "Başka bir kullanıcı adı seçin veya mevcut kullanıcıyı güncelleyin.",
    ),
    "%(role)r is not a role; choose one of: %(ROLES)s.": (
        "%(role)r — не роль; выберите одну из: %(ROLES)s.",
        "%(role)r рөл емес; мыналардың бірін таңдаңыз: %(ROLES)s.",
        "%(role)r bir rol değil; şunlardan birini seçin: %(ROLES)s.",
    ),
    "Unknown or ambiguous permission(s): %(missing)s; name them as 'app_label.codename' (see /api/v1/permissions/).": (
        "Неизвестные или неоднозначные права: %(missing)s; указывайте их как 'app_label.codename' (см. /api/v1/permissions/).",
        "Белгісіз немесе екіұшты рұқсаттар: %(missing)s; оларды 'app_label.codename' түрінде атаңыз (/api/v1/permissions/ қараңыз).",
        "Bilinmeyen veya belirsiz izinler: %(missing)s; bunları 'app_label.codename' olarak yazın (bkz. /api/v1/permissions/).",
    ),
    "A group named %(name)r already exists.": (
        "Группа с именем %(name)r уже существует.",
        "%(name)r атты топ бұрыннан бар.",
        "%(name)r adlı bir grup zaten var.",
    ),
    "No group with id %(group_id)s.": (
        "Нет группы с id %(group_id)s.",
        "id %(group_id)s топ жоқ.",
        "%(group_id)s kimlikli grup yok.",
    ),
    "%(group)r is a built-in role and cannot be renamed.": (
        "%(group)r — встроенная роль, её нельзя переименовать.",
        "%(group)r — кірістірілген рөл, оның атын өзгертуге болмайды.",
        "%(group)r yerleşik bir roldür ve yeniden adlandırılamaz.",
    ),
    "The permissions of the built-in role %(group)r are declared in core.roles and re-applied after every migrate; an edit here would silently vanish.": (
        "Права встроенной роли %(group)r описаны в core.roles и применяются заново после каждого migrate; правка здесь молча исчезнет.",
        "%(group)r кірістірілген рөлінің рұқсаттары core.roles ішінде жарияланған және әр migrate кейін қайта қолданылады; мұндағы өзгеріс үнсіз жоғалады.",
        "%(group)r yerleşik rolünün izinleri core.roles içinde tanımlanır ve her migrate sonrasında yeniden uygulanır; burada yapılan bir düzenleme sessizce kaybolur.",
    ),
    "Create another group with the extra permissions and add it to the users who need them.": (
        "Создайте другую группу с дополнительными правами и добавьте в неё нужных пользователей.",
        "Қосымша рұқсаттары бар басқа топ жасап, оны қажет пайдаланушыларға қосыңыз.",
        "Ek izinlerle başka bir grup oluşturun ve ihtiyaç duyan kullanıcılara ekleyin.",
    ),
    "%(group)r is a built-in role and cannot be deleted.": (
        "%(group)r — встроенная роль, её нельзя удалить.",
        "%(group)r — кірістірілген рөл, оны жоюға болмайды.",
        "%(group)r yerleşik bir roldür ve silinemez.",
    ),
    "Take the role away from its users instead.": (
        "Вместо этого отберите роль у её пользователей.",
        "Оның орнына рөлді пайдаланушылардан алып тастаңыз.",
        "Bunun yerine rolü kullanıcılarından alın.",
    ),
    "Error:": (
        "Ошибка:",
        "Қате:",
        "Hata:",
    ),
    "You are authenticated as %(username)s, but are not authorized to access this page. Would you like to login to a different account?": (
        "Вы вошли как %(username)s, но у вас нет доступа к этой странице. Хотите войти под другой учётной записью?",
        "Сіз %(username)s ретінде кірдіңіз, бірақ бұл бетке рұқсатыңыз жоқ. Басқа тіркелгімен кіргіңіз келе ме?",
        "%(username)s olarak oturum açtınız, ancak bu sayfaya erişim yetkiniz yok. Farklı bir hesapla giriş yapmak ister misiniz?",
    ),
    "Forgotten your login credentials?": (
        "Забыли данные для входа?",
        "Кіру деректерін ұмыттыңыз ба?",
        "Giriş bilgilerinizi mi unuttunuz?",
    ),
    "Log in": (
        "Войти",
        "Кіру",
        "Giriş yap",
    ),
    "date_from is after date_to.": (
        "date_from позже date_to.",
        "date_from мәні date_to мәнінен кейін.",
        "date_from, date_to tarihinden sonra.",
    ),
    "the range may span at most 3660 days.": (
        "диапазон может охватывать не более 3660 дней.",
        "ауқым ең көбі 3660 күнді қамти алады.",
        "aralık en fazla 3660 gün kapsayabilir.",
    ),
    "Run #%(run_id)s not retrained: %(exc)s": (
        "Запуск #%(run_id)s не переобучен: %(exc)s",
        "#%(run_id)s іске қосу қайта оқытылмады: %(exc)s",
        "#%(run_id)s çalıştırması yeniden eğitilmedi: %(exc)s",
    ),
    "Run #%(new_id)s queued (settings of run #%(run_id)s); refresh to follow its progress.": (
        "Запуск #%(new_id)s поставлен в очередь (настройки запуска #%(run_id)s); обновите страницу, чтобы следить за ходом.",
        "#%(new_id)s іске қосу кезекке қойылды (#%(run_id)s іске қосу баптаулары); барысын көру үшін бетті жаңартыңыз.",
        "#%(new_id)s çalıştırması kuyruğa alındı (#%(run_id)s çalıştırmasının ayarları); ilerlemeyi izlemek için sayfayı yenileyin.",
    ),
    "Only the newest selected run was retrained: runs go one at a time.": (
        "Переобучен только самый новый из выбранных запусков: запуски идут по одному.",
        "Таңдалғандардың ең жаңасы ғана қайта оқытылды: іске қосулар бір-бірден жүреді.",
        "Yalnızca seçilen en yeni çalıştırma yeniden eğitildi: çalıştırmalar tek tek yürür.",
    ),
    "Expected 'png' or 'json', got %(fmt)r.": (
        "Ожидалось 'png' или 'json', получено %(fmt)r.",
        "'png' немесе 'json' күтілді, алынғаны %(fmt)r.",
        "'png' veya 'json' bekleniyordu, gelen değer %(fmt)r.",
    ),
    "Expected a run id or 'latest', got %(value)r.": (
        "Ожидался id запуска или 'latest', получено %(value)r.",
        "Іске қосу id-і немесе 'latest' күтілді, алынғаны %(value)r.",
        "Bir çalıştırma kimliği veya 'latest' bekleniyordu, gelen değer %(value)r.",
    ),
    "No forecast run with id %(value)s.": (
        "Нет запуска прогноза с id %(value)s.",
        "id %(value)s болжам іске қосуы жоқ.",
        "%(value)s kimlikli tahmin çalıştırması yok.",
    ),
    "group_by: %(group_by)r is not one of %(value)s": (
        "group_by: %(group_by)r не входит в %(value)s",
        "group_by: %(group_by)r мына мәндердің бірі емес: %(value)s",
        "group_by: %(group_by)r şunlardan biri değil: %(value)s",
    ),
    "run: run #%(run_id)s has no stored model (status %(status)s); use a succeeded training run": (
        "run: у запуска #%(run_id)s нет сохранённой модели (статус %(status)s); используйте успешный запуск обучения",
        "run: #%(run_id)s іске қосуда сақталған модель жоқ (күйі %(status)s); сәтті оқыту іске қосуын пайдаланыңыз",
        "run: #%(run_id)s çalıştırmasının kayıtlı modeli yok (durum %(status)s); başarılı bir eğitim çalıştırması kullanın",
    ),
    "run: the model file of run #%(run_id)s (%(model_file)s) is missing from ARTIFACTS_ROOT; restore it from a backup or train a new model": (
        "run: файл модели запуска #%(run_id)s (%(model_file)s) отсутствует в ARTIFACTS_ROOT; восстановите его из резервной копии или обучите новую модель",
        "run: #%(run_id)s іске қосудың модель файлы (%(model_file)s) ARTIFACTS_ROOT ішінде жоқ; оны сақтық көшірмеден қалпына келтіріңіз немесе жаңа модель оқытыңыз",
        "run: #%(run_id)s çalıştırmasının model dosyası (%(model_file)s) ARTIFACTS_ROOT içinde yok; yedekten geri yükleyin veya yeni bir model eğitin",
    ),
    "run: the model file of run #%(run_id)s does not match its recorded checksum; train a new model": (
        "run: файл модели запуска #%(run_id)s не совпадает с записанной контрольной суммой; обучите новую модель",
        "run: #%(run_id)s іске қосудың модель файлы жазылған бақылау сомасына сәйкес емес; жаңа модель оқытыңыз",
        "run: #%(run_id)s çalıştırmasının model dosyası kayıtlı sağlama toplamıyla uyuşmuyor; yeni bir model eğitin",
    ),
    "%(field)s: expected a %(field)s id, got %(pk)r": (
        "%(field)s: ожидался id %(field)s, получено %(pk)r",
        "%(field)s: %(field)s id-і күтілді, алынғаны %(pk)r",
        "%(field)s: bir %(field)s kimliği bekleniyordu, gelen değer %(pk)r",
    ),
    "%(field)s: no %(verbose_name)s with id %(pk)s": (
        "%(field)s: нет объекта «%(verbose_name)s» с id %(pk)s",
        "%(field)s: id %(pk)s «%(verbose_name)s» жоқ",
        "%(field)s: %(pk)s kimlikli %(verbose_name)s yok",
    ),
    "history_days: must be between 1 and %(MAX_HISTORY_DAYS)s": (
        "history_days: должно быть от 1 до %(MAX_HISTORY_DAYS)s",
        "history_days: 1 мен %(MAX_HISTORY_DAYS)s аралығында болуы керек",
        "history_days: 1 ile %(MAX_HISTORY_DAYS)s arasında olmalı",
    ),
    "format: %(fmt)r is not one of %(EXPORT_FORMATS)s": (
        "format: %(fmt)r не входит в %(EXPORT_FORMATS)s",
        "format: %(fmt)r мына мәндердің бірі емес: %(EXPORT_FORMATS)s",
        "format: %(fmt)r şunlardan biri değil: %(EXPORT_FORMATS)s",
    ),
    "output: an XLSX export needs a binary stream or file": (
        "output: для выгрузки XLSX нужен двоичный поток или файл",
        "output: XLSX экспортына екілік ағын немесе файл қажет",
        "output: XLSX dışa aktarımı ikili bir akış veya dosya gerektirir",
    ),
    "history: no daily sales for %(where)s; load or sync sales first": (
        "history: нет дневных продаж для %(where)s; сначала загрузите или синхронизируйте продажи",
        "history: %(where)s үшін күндік сатылым жоқ; алдымен сатылымды жүктеңіз немесе синхрондаңыз",
        "history: %(where)s için günlük satış yok; önce satışları yükleyin veya eşitleyin",
    ),
    "drivers: the stored model needs %(unknown)s, which the sales data cannot provide": (
        "drivers: сохранённой модели нужны %(unknown)s, которых нет в данных продаж",
        "drivers: сақталған модельге %(unknown)s қажет, оны сатылым деректері бере алмайды",
        "drivers: kayıtlı model %(unknown)s gerektiriyor, satış verileri bunu sağlayamıyor",
    ),
    "%(field)s: expected a run id or 'latest', got %(value)r": (
        "%(field)s: ожидался id запуска или 'latest', получено %(value)r",
        "%(field)s: іске қосу id-і немесе 'latest' күтілді, алынғаны %(value)r",
        "%(field)s: bir çalıştırma kimliği veya 'latest' bekleniyordu, gelen değer %(value)r",
    ),
    "%(field)s: no forecast run with id %(pk)s": (
        "%(field)s: нет запуска прогноза с id %(pk)s",
        "%(field)s: id %(pk)s болжам іске қосуы жоқ",
        "%(field)s: %(pk)s kimlikli tahmin çalıştırması yok",
    ),
    "%(field)s: must be a whole number, got %(value)r": (
        "%(field)s: должно быть целым числом, получено %(value)r",
        "%(field)s: бүтін сан болуы керек, алынғаны %(value)r",
        "%(field)s: tam sayı olmalı, gelen değer %(value)r",
    ),
    "%(field)s: must be between %(low)s and %(high)s, got %(value)s": (
        "%(field)s: должно быть от %(low)s до %(high)s, получено %(value)s",
        "%(field)s: %(low)s мен %(high)s аралығында болуы керек, алынғаны %(value)s",
        "%(field)s: %(low)s ile %(high)s arasında olmalı, gelen değer %(value)s",
    ),
    "parameters: must be an object of engine parameters": (
        "parameters: должен быть объектом параметров движка",
        "parameters: қозғалтқыш параметрлерінің объектісі болуы керек",
        "parameters: motor parametrelerinden oluşan bir nesne olmalı",
    ),
    "parameters: %(managed)s are set by the run itself (horizon by its own field, missing-day policy per location in the admin, drivers from the data); remove them": (
        "parameters: %(managed)s задаются самим запуском (горизонт — своим полем, правило пропущенных дней — по точке в админке, факторы — из данных); уберите их",
        "parameters: %(managed)s іске қосудың өзімен беріледі (көкжиек — өз өрісімен, жоқ күндер ережесі — әкімшілік бөлімде нүкте бойынша, факторлар — деректерден); оларды алып тастаңыз",
        "parameters: %(managed)s çalıştırmanın kendisi tarafından belirlenir (ufuk kendi alanıyla, eksik gün kuralı yönetim panelinde lokasyon başına, etkenler veriden); bunları kaldırın",
    ),
    "run #%(busy_id)s is %(status)s (stage %(value)s); wait for it to finish before starting another": (
        "запуск #%(busy_id)s в статусе %(status)s (этап %(value)s); дождитесь его завершения, прежде чем начинать другой",
        "#%(busy_id)s іске қосу %(status)s күйінде (%(value)s кезеңі); басқасын бастамас бұрын оның аяқталуын күтіңіз",
        "#%(busy_id)s çalıştırması %(status)s durumunda (%(value)s aşaması); başka birini başlatmadan önce bitmesini bekleyin",
    ),
    "history: no daily sales for %(scope)s; load or sync sales first": (
        "history: нет дневных продаж для %(scope)s; сначала загрузите или синхронизируйте продажи",
        "history: %(scope)s үшін күндік сатылым жоқ; алдымен сатылымды жүктеңіз немесе синхрондаңыз",
        "history: %(scope)s için günlük satış yok; önce satışları yükleyin veya eşitleyin",
    ),
    "run: run #%(run_id)s is %(status)s, not queued; start a new run": (
        "run: запуск #%(run_id)s в статусе %(status)s, а не в очереди; начните новый запуск",
        "run: #%(run_id)s іске қосу %(status)s күйінде, кезекте емес; жаңа іске қосуды бастаңыз",
        "run: #%(run_id)s çalıştırması %(status)s durumunda, kuyrukta değil; yeni bir çalıştırma başlatın",
    ),
    "run: run #%(run_id)s is %(status)s; use a succeeded training run": (
        "run: запуск #%(run_id)s в статусе %(status)s; используйте успешный запуск обучения",
        "run: #%(run_id)s іске қосу %(status)s күйінде; сәтті оқыту іске қосуын пайдаланыңыз",
        "run: #%(run_id)s çalıştırması %(status)s durumunda; başarılı bir eğitim çalıştırması kullanın",
    ),
    "scope: unknown key(s) %(unknown)s; use %(SCOPE_FIELDS)s": (
        "scope: неизвестные ключи %(unknown)s; используйте %(SCOPE_FIELDS)s",
        "scope: белгісіз кілттер %(unknown)s; %(SCOPE_FIELDS)s пайдаланыңыз",
        "scope: bilinmeyen anahtarlar %(unknown)s; %(SCOPE_FIELDS)s kullanın",
    ),
    "%(field)s: %(item)r is not a %(label)s id or %(code_field)s": (
        "%(field)s: %(item)r — не id и не %(code_field)s объекта «%(label)s»",
        "%(field)s: %(item)r — «%(label)s» id-і де, %(code_field)s да емес",
        "%(field)s: %(item)r bir %(label)s kimliği veya %(code_field)s değil",
    ),
    "%(field)s: %(code_field)s %(code)r matches %(count)s %(label)ss (ids %(matches)s); pass the id instead": (
        "%(field)s: %(code_field)s %(code)r совпадает с несколькими объектами «%(label)s»: %(count)s (id %(matches)s); передайте id",
        "%(field)s: %(code_field)s %(code)r бірнеше «%(label)s» нысанына сәйкес келеді: %(count)s (id %(matches)s); оның орнына id беріңіз",
        "%(field)s: %(code_field)s %(code)r, %(count)s %(label)s kaydıyla eşleşiyor (kimlikler %(matches)s); bunun yerine kimliği gönderin",
    ),
    "%(field)s: no %(label)s with %(code_field)s or id %(code)r": (
        "%(field)s: нет объекта «%(label)s» с %(code_field)s или id %(code)r",
        "%(field)s: %(code_field)s немесе id %(code)r «%(label)s» жоқ",
        "%(field)s: %(code_field)s veya kimliği %(code)r olan %(label)s yok",
    ),
    "%(field)s: no %(label)s with id %(ids)s": (
        "%(field)s: нет объекта «%(label)s» с id %(ids)s",
        "%(field)s: id %(ids)s «%(label)s» жоқ",
        "%(field)s: %(ids)s kimlikli %(label)s yok",
    ),
    "scope: expected a mapping of %(SCOPE_FIELDS)s, got %(name)s": (
        "scope: ожидалось отображение %(SCOPE_FIELDS)s, получено %(name)s",
        "scope: %(SCOPE_FIELDS)s сәйкестігі күтілді, алынғаны %(name)s",
        "scope: %(SCOPE_FIELDS)s eşlemesi bekleniyordu, gelen %(name)s",
    ),
    "Starting a sync needs the integrator role (add sync run permission).": (
        "Для запуска синхронизации нужна роль integrator (право add sync run).",
        "Синхрондауды бастау үшін integrator рөлі қажет (add sync run рұқсаты).",
        "Eşitleme başlatmak için integrator rolü gerekir (add sync run izni).",
    ),
    "%(account)s: no %(stream)s connector for %(kind)s.": (
        "%(account)s: нет коннектора %(stream)s для %(kind)s.",
        "%(account)s: %(kind)s үшін %(stream)s коннекторы жоқ.",
        "%(account)s: %(kind)s için %(stream)s bağlayıcısı yok.",
    ),
    "%(account)s is disabled; enable it first.": (
        "%(account)s отключена; сначала включите её.",
        "%(account)s өшірулі; алдымен оны қосыңыз.",
        "%(account)s devre dışı; önce etkinleştirin.",
    ),
    "The selected rows are manual entries; there is no account to sync.": (
        "Выбранные строки введены вручную; синхронизировать нечего — у них нет учётной записи.",
        "Таңдалған жолдар қолмен енгізілген; синхрондайтын тіркелгі жоқ.",
        "Seçilen satırlar elle girilmiş kayıtlar; eşitlenecek hesap yok.",
    ),
    "Unknown secret(s) %(unknown)s for kind %(kind)s; allowed: %(allowed)s.": (
        "Неизвестные секреты %(unknown)s для вида %(kind)s; допустимы: %(allowed)s.",
        "%(kind)s түрі үшін белгісіз құпиялар %(unknown)s; рұқсат етілгендер: %(allowed)s.",
        "%(kind)s türü için bilinmeyen gizli değerler %(unknown)s; izin verilenler: %(allowed)s.",
    ),
    "The kind of an account cannot change (its synced rows belong to it); create a new account.": (
        "Вид учётной записи нельзя изменить (синхронизированные строки принадлежат ей); создайте новую учётную запись.",
        "Тіркелгі түрін өзгертуге болмайды (синхрондалған жолдар оған тиесілі); жаңа тіркелгі жасаңыз.",
        "Bir hesabın türü değişemez (eşitlenmiş satırlar ona aittir); yeni bir hesap oluşturun.",
    ),
    "%(last)s is before date_from %(first)s.": (
        "%(last)s раньше date_from %(first)s.",
        "%(last)s мәні date_from %(first)s мәнінен бұрын.",
        "%(last)s, date_from %(first)s tarihinden önce.",
    ),
    "Account %(instance)r still owns synced locations; disable it (enabled=false) instead of deleting it, so their provenance is kept.": (
        "Учётной записи %(instance)r ещё принадлежат синхронизированные точки; отключите её (enabled=false) вместо удаления, чтобы сохранить их происхождение.",
        "%(instance)r тіркелгісіне әлі де синхрондалған нүктелер тиесілі; шығу тегі сақталуы үшін оны жоймай, өшіріңіз (enabled=false).",
        "%(instance)r hesabı hâlâ eşitlenmiş lokasyonlara sahip; kaynakları korunsun diye silmek yerine devre dışı bırakın (enabled=false).",
    ),
    "%(value)r is not a valid %(name)s; choose one of: %(values)s.": (
        "%(value)r — недопустимое значение %(name)s; выберите одно из: %(values)s.",
        "%(value)r — жарамсыз %(name)s; мыналардың бірін таңдаңыз: %(values)s.",
        "%(value)r geçerli bir %(name)s değil; şunlardan birini seçin: %(values)s.",
    ),
    "timezone %(name)r is not a known IANA zone name (e.g. Europe/Moscow)": (
        "часовой пояс %(name)r — неизвестное имя зоны IANA (например, Europe/Moscow)",
        "%(name)r уақыт белдеуі — белгісіз IANA белдеу атауы (мысалы, Europe/Moscow)",
        "%(name)r saat dilimi bilinen bir IANA bölge adı değil (ör. Europe/Moscow)",
    ),
    "option %(name)s=%(value)r must be a whole number": (
        "параметр %(name)s=%(value)r должен быть целым числом",
        "%(name)s=%(value)r параметрі бүтін сан болуы керек",
        "%(name)s=%(value)r seçeneği tam sayı olmalı",
    ),
    "run parameters date_from=%(raw_from)r / date_to=%(raw_to)r are not YYYY-MM-DD dates": (
        "параметры запуска date_from=%(raw_from)r / date_to=%(raw_to)r — не даты в формате YYYY-MM-DD",
        "date_from=%(raw_from)r / date_to=%(raw_to)r іске қосу параметрлері YYYY-MM-DD күндері емес",
        "date_from=%(raw_from)r / date_to=%(raw_to)r çalıştırma parametreleri YYYY-MM-DD tarihleri değil",
    ),
    "date_from %(first)s is after date_to %(last)s": (
        "date_from %(first)s позже date_to %(last)s",
        "date_from %(first)s мәні date_to %(last)s мәнінен кейін",
        "date_from %(first)s, date_to %(last)s tarihinden sonra",
    ),
    "%(stream)s stream: %(problem)s%(where)s; nothing of this run was stored": (
        "поток %(stream)s: %(problem)s%(where)s; ничего из этого запуска не сохранено",
        "%(stream)s ағыны: %(problem)s%(where)s; бұл іске қосудан ештеңе сақталмады",
        "%(stream)s akışı: %(problem)s%(where)s; bu çalıştırmadan hiçbir şey kaydedilmedi",
    ),
    "expected a <corporateItemDtoes> list, got <%(tag)s>": (
        "ожидался список <corporateItemDtoes>, получен <%(tag)s>",
        "<corporateItemDtoes> тізімі күтілді, алынғаны <%(tag)s>",
        "bir <corporateItemDtoes> listesi bekleniyordu, gelen <%(tag)s>",
    ),
    "another sync of this account has held its iiko API licence seat for over %(wait)s s": (
        "другая синхронизация этой учётной записи занимает её лицензионное место iiko API уже более %(wait)s с",
        "бұл тіркелгінің басқа синхрондауы iiko API лицензиялық орнын %(wait)s с астам ұстап тұр",
        "bu hesabın başka bir eşitlemesi iiko API lisans koltuğunu %(wait)s sn'den uzun süredir tutuyor",
    ),
    "Syncs of one iiko account run one at a time; try again when the other one has finished.": (
        "Синхронизации одной учётной записи iiko идут по одной; повторите, когда другая завершится.",
        "Бір iiko тіркелгісінің синхрондаулары бір-бірден жүреді; басқасы аяқталғанда қайталаңыз.",
        "Bir iiko hesabının eşitlemeleri tek tek yürür; diğeri bittiğinde yeniden deneyin.",
    ),
    "iiko refused the stored login: %(detail)s": (
        "iiko отклонил сохранённый логин: %(detail)s",
        "iiko сақталған логинді қабылдамады: %(detail)s",
        "iiko kayıtlı girişi reddetti: %(detail)s",
    ),
    "Check the login and password stored for this account (and that the user has an API licence seat free).": (
        "Проверьте логин и пароль, сохранённые для этой учётной записи (и что у пользователя есть свободное лицензионное место API).",
        "Бұл тіркелгі үшін сақталған логин мен құпиясөзді тексеріңіз (және пайдаланушыда бос API лицензиялық орны бар екенін).",
        "Bu hesap için kayıtlı kullanıcı adını ve parolayı kontrol edin (ve kullanıcının boş bir API lisans koltuğu olduğunu).",
    ),
    "the auth answer is not a token": (
        "ответ авторизации — не токен",
        "авторизация жауабы токен емес",
        "kimlik doğrulama yanıtı bir belirteç değil",
    ),
    "the answer is not JSON: %(snippet)r": (
        "ответ — не JSON: %(snippet)r",
        "жауап JSON емес: %(snippet)r",
        "yanıt JSON değil: %(snippet)r",
    ),
    "the XML answer contains a DTD, entity or external reference (%(name)s) and was refused unparsed": (
        "XML-ответ содержит DTD, сущность или внешнюю ссылку (%(name)s) и отклонён без разбора",
        "XML жауабында DTD, нысан немесе сыртқы сілтеме (%(name)s) бар, сондықтан талданбай қабылданбады",
        "XML yanıtı bir DTD, varlık veya dış başvuru (%(name)s) içeriyor ve ayrıştırılmadan reddedildi",
    ),
    "This is unsafe XML; check that the base URL points at the real iiko server.": (
        "Это небезопасный XML; проверьте, что базовый URL указывает на настоящий сервер iiko.",
        "Бұл қауіпті XML; базалық URL нақты iiko серверін көрсететінін тексеріңіз.",
        "Bu güvenli olmayan bir XML; temel URL'nin gerçek iiko sunucusunu gösterdiğini kontrol edin.",
    ),
    "the answer is not well-formed XML (%(exc)s)": (
        "ответ — некорректный XML (%(exc)s)",
        "жауап дұрыс құрылмаған XML (%(exc)s)",
        "yanıt iyi biçimli bir XML değil (%(exc)s)",
    ),
    "credentials token, or login and password, are not set": (
        "не заданы учётные данные: токен либо логин и пароль",
        "тіркелгі деректері берілмеген: токен немесе логин мен құпиясөз",
        "kimlik bilgileri ayarlanmamış: belirteç ya da kullanıcı adı ve parola",
    ),
    "page %(page)s is not the expected JSON (%(exc)s)": (
        "страница %(page)s — не ожидаемый JSON (%(exc)s)",
        "%(page)s беті күтілген JSON емес (%(exc)s)",
        "%(page)s sayfası beklenen JSON değil (%(exc)s)",
    ),
    "more than %(MAX_PAGES)s pages; stopping": (
        "больше %(MAX_PAGES)s страниц; остановка",
        "%(MAX_PAGES)s беттен көп; тоқтатылды",
        "%(MAX_PAGES)s sayfadan fazla; durduruluyor",
    ),
    "a branch item is not a JSON object": (
        "элемент филиала — не объект JSON",
        "филиал элементі JSON объектісі емес",
        "bir şube öğesi JSON nesnesi değil",
    ),
    "Fix the account in the admin (Integrations → Accounts).": (
        "Исправьте учётную запись в админке (Интеграции → Учётные записи).",
        "Тіркелгіні әкімшілік бөлімде түзетіңіз (Интеграциялар → Тіркелгілер).",
        "Hesabı yönetim panelinde düzeltin (Entegrasyonlar → Hesaplar).",
    ),
    "Point the account at the server's public http(s) address; loopback and private hosts need INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true.": (
        "Укажите в учётной записи публичный http(s)-адрес сервера; для loopback и частных адресов нужен INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true.",
        "Тіркелгіде сервердің жалпыға ортақ http(s) мекенжайын көрсетіңіз; loopback және жеке хосттар үшін INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true қажет.",
        "Hesabı sunucunun herkese açık http(s) adresine yönlendirin; loopback ve özel ağ adresleri INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true gerektirir.",
    ),
    "Check the login/password or API key stored for this account.": (
        "Проверьте логин/пароль или API-ключ, сохранённые для этой учётной записи.",
        "Бұл тіркелгі үшін сақталған логин/құпиясөзді немесе API кілтін тексеріңіз.",
        "Bu hesap için kayıtlı kullanıcı adı/parolayı veya API anahtarını kontrol edin.",
    ),
    "The remote system refused access (licence or permissions); ask its administrator.": (
        "Удалённая система отказала в доступе (лицензия или права); обратитесь к её администратору.",
        "Қашықтағы жүйе қатынаудан бас тартты (лицензия немесе рұқсаттар); оның әкімшісіне хабарласыңыз.",
        "Uzak sistem erişimi reddetti (lisans veya izinler); yöneticisine başvurun.",
    ),
    "The remote system keeps asking us to slow down; try later or lower the account's request rate.": (
        "Удалённая система продолжает просить снизить темп; повторите позже или уменьшите частоту запросов учётной записи.",
        "Қашықтағы жүйе қарқынды азайтуды сұрай береді; кейінірек қайталаңыз немесе тіркелгінің сұрау жиілігін азайтыңыз.",
        "Uzak sistem yavaşlamamızı istemeye devam ediyor; daha sonra deneyin veya hesabın istek hızını düşürün.",
    ),
    "The remote system failed; try again later and tell its administrator if it persists.": (
        "Сбой удалённой системы; повторите позже и сообщите её администратору, если ошибка повторяется.",
        "Қашықтағы жүйеде ақау болды; кейінірек қайталаңыз, қайталанса, оның әкімшісіне хабарлаңыз.",
        "Uzak sistem başarısız oldu; daha sonra yeniden deneyin, sürerse yöneticisine bildirin.",
    ),
    "The request was refused; check the account's base URL and options.": (
        "Запрос отклонён; проверьте базовый URL и параметры учётной записи.",
        "Сұрау қабылданбады; тіркелгінің базалық URL-і мен параметрлерін тексеріңіз.",
        "İstek reddedildi; hesabın temel URL'sini ve seçeneklerini kontrol edin.",
    ),
    "The remote system did not answer in time; try later or raise the account's read_timeout option.": (
        "Удалённая система не ответила вовремя; повторите позже или увеличьте параметр read_timeout учётной записи.",
        "Қашықтағы жүйе уақытында жауап бермеді; кейінірек қайталаңыз немесе тіркелгінің read_timeout параметрін көбейтіңіз.",
        "Uzak sistem zamanında yanıt vermedi; daha sonra deneyin veya hesabın read_timeout seçeneğini artırın.",
    ),
    "Could not connect; check the account's base URL and that the server is up and reachable.": (
        "Не удалось подключиться; проверьте базовый URL учётной записи и что сервер работает и доступен.",
        "Қосылу мүмкін болмады; тіркелгінің базалық URL-ін және сервердің жұмыс істеп, қолжетімді екенін тексеріңіз.",
        "Bağlanılamadı; hesabın temel URL'sini ve sunucunun çalışır ve erişilebilir olduğunu kontrol edin.",
    ),
    "The remote system sent something we do not understand; check its version and the base URL.": (
        "Удалённая система прислала непонятный ответ; проверьте её версию и базовый URL.",
        "Қашықтағы жүйе біз түсінбейтін нәрсе жіберді; оның нұсқасы мен базалық URL-ді тексеріңіз.",
        "Uzak sistem anlamadığımız bir şey gönderdi; sürümünü ve temel URL'yi kontrol edin.",
    ),
    "options must be an object of settings, not %(options)r": (
        "options должен быть объектом настроек, а не %(options)r",
        "options баптаулар объектісі болуы керек, %(options)r емес",
        "options bir ayarlar nesnesi olmalı, %(options)r değil",
    ),
    "no answer within %(timeout)s s (connect %(timeout2)s s) after %(attempt)s attempt(s)": (
        "нет ответа за %(timeout)s с (подключение %(timeout2)s с) после попыток: %(attempt)s",
        "%(attempt)s әрекеттен кейін %(timeout)s с ішінде жауап жоқ (қосылу %(timeout2)s с)",
        "%(attempt)s denemeden sonra %(timeout)s sn içinde yanıt yok (bağlantı %(timeout2)s sn)",
    ),
    "connection failed after %(attempt)s attempt(s) (%(name)s)": (
        "подключение не удалось после попыток: %(attempt)s (%(name)s)",
        "%(attempt)s әрекеттен кейін қосылу сәтсіз аяқталды (%(name)s)",
        "%(attempt)s denemeden sonra bağlantı başarısız oldu (%(name)s)",
    ),
    "request could not be sent (%(name)s)": (
        "запрос не удалось отправить (%(name)s)",
        "сұрауды жіберу мүмкін болмады (%(name)s)",
        "istek gönderilemedi (%(name)s)",
    ),
    "%(field)s: a URL may not carry a user name or password (user:password@host).": (
        "%(field)s: URL не может содержать имя пользователя или пароль (user:password@host).",
        "%(field)s: URL пайдаланушы атын немесе құпиясөзді қамти алмайды (user:password@host).",
        "%(field)s: bir URL kullanıcı adı veya parola taşıyamaz (user:password@host).",
    ),
    "%(ip)s is a link-local address (cloud metadata services live there)": (
        "%(ip)s — адрес link-local (там находятся службы метаданных облака)",
        "%(ip)s — link-local мекенжайы (бұлттың метадеректер қызметтері сонда орналасқан)",
        "%(ip)s bir link-local adresidir (bulut meta veri hizmetleri orada bulunur)",
    ),
    "%(ip)s is not a host address": (
        "%(ip)s — не адрес хоста",
        "%(ip)s — хост мекенжайы емес",
        "%(ip)s bir ana makine adresi değil",
    ),
    "%(ip)s is a loopback address": (
        "%(ip)s — адрес loopback",
        "%(ip)s — loopback мекенжайы",
        "%(ip)s bir loopback adresidir",
    ),
    "%(ip)s is a private or reserved address": (
        "%(ip)s — частный или зарезервированный адрес",
        "%(ip)s — жеке немесе резервтелген мекенжай",
        "%(ip)s özel veya ayrılmış bir adrestir",
    ),
    "Use the server's public http(s) address; loopback and private hosts need %(setting)s=true.": (
        "Укажите публичный http(s)-адрес сервера; для loopback и частных хостов нужно %(setting)s=true.",
        "Сервердің жалпыға ортақ http(s) мекенжайын көрсетіңіз; loopback және жеке хосттар үшін %(setting)s=true қажет.",
        "Sunucunun herkese açık http(s) adresini kullanın; loopback ve özel ana makineler için %(setting)s=true gerekir.",
    ),
    "%(host)s resolved to a refused address: %(reason)s. %(hint)s": (
        "%(host)s разрешился в запрещённый адрес: %(reason)s. %(hint)s",
        "%(host)s тыйым салынған мекенжайға шешілді: %(reason)s. %(hint)s",
        "%(host)s reddedilen bir adrese çözümlendi: %(reason)s. %(hint)s",
    ),
    "%(url)r is not a valid URL.": (
        "%(url)r — недопустимый URL.",
        "%(url)r — жарамсыз URL.",
        "%(url)r geçerli bir URL değil.",
    ),
    "%(field)s: %(url)r is not a valid URL.": (
        "%(field)s: %(url)r — недопустимый URL.",
        "%(field)s: %(url)r — жарамсыз URL.",
        "%(field)s: %(url)r geçerli bir URL değil.",
    ),
    "%(field)s: only http and https URLs are allowed, not %(value)r.": (
        "%(field)s: допустимы только URL http и https, а не %(value)r.",
        "%(field)s: тек http және https URL-дерге рұқсат етіледі, %(value)r емес.",
        "%(field)s: yalnızca http ve https URL'lerine izin verilir, %(value)r değil.",
    ),
    "%(field)s: a URL may not carry a user name or password (user:password@host); store them as the account's credentials.": (
        "%(field)s: URL не может содержать имя пользователя или пароль (user:password@host); сохраните их как учётные данные учётной записи.",
        "%(field)s: URL пайдаланушы атын немесе құпиясөзді қамти алмайды (user:password@host); оларды тіркелгінің деректері ретінде сақтаңыз.",
        "%(field)s: bir URL kullanıcı adı veya parola taşıyamaz (user:password@host); bunları hesabın kimlik bilgileri olarak saklayın.",
    ),
    "%(field)s: %(url)r has no host.": (
        "%(field)s: в %(url)r нет хоста.",
        "%(field)s: %(url)r ішінде хост жоқ.",
        "%(field)s: %(url)r bir ana makine içermiyor.",
    ),
    "%(field)s: %(host)s is not allowed: %(reason)s. %(hint)s": (
        "%(field)s: %(host)s не разрешён: %(reason)s. %(hint)s",
        "%(field)s: %(host)s рұқсат етілмеген: %(reason)s. %(hint)s",
        "%(field)s: %(host)s izinli değil: %(reason)s. %(hint)s",
    ),
    "the stored credentials cannot be decrypted with any key in CREDENTIALS_KEYS (was a key removed?); enter them again or restore the old key": (
        "сохранённые учётные данные не расшифровываются ни одним ключом из CREDENTIALS_KEYS (ключ удалили?); введите их заново или верните старый ключ",
        "сақталған тіркелгі деректерін CREDENTIALS_KEYS ішіндегі ешбір кілтпен шифрын ашу мүмкін емес (кілт жойылды ма?); оларды қайта енгізіңіз немесе ескі кілтті қайтарыңыз",
        "kayıtlı kimlik bilgileri CREDENTIALS_KEYS içindeki hiçbir anahtarla çözülemiyor (bir anahtar mı kaldırıldı?); bunları yeniden girin veya eski anahtarı geri yükleyin",
    ),
    "credentials %(missing)s are not set": (
        "учётные данные %(missing)s не заданы",
        "%(missing)s тіркелгі деректері берілмеген",
        "%(missing)s kimlik bilgileri ayarlanmamış",
    ),
    "Enable the account in the admin (Integrations → Accounts), then sync again.": (
        "Включите учётную запись в админке (Интеграции → Учётные записи) и запустите синхронизацию снова.",
        "Тіркелгіні әкімшілік бөлімде қосыңыз (Интеграциялар → Тіркелгілер), содан кейін қайта синхрондаңыз.",
        "Hesabı yönetim panelinde etkinleştirin (Entegrasyonlar → Hesaplar), sonra yeniden eşitleyin.",
    ),
    "%(stream)r is not a stream account %(account)r (%(kind)s) can sync; choose one of: %(value)s.": (
        "%(stream)r — не поток, который может синхронизировать учётная запись %(account)r (%(kind)s); выберите один из: %(value)s.",
        "%(stream)r — %(account)r (%(kind)s) тіркелгісі синхрондай алатын ағын емес; мыналардың бірін таңдаңыз: %(value)s.",
        "%(stream)r, %(account)r (%(kind)s) hesabının eşitleyebileceği bir akış değil; şunlardan birini seçin: %(value)s.",
    ),
    "%(mode)r is not a sync mode; choose one of: %(values)s.": (
        "%(mode)r — не режим синхронизации; выберите один из: %(values)s.",
        "%(mode)r синхрондау режимі емес; мыналардың бірін таңдаңыз: %(values)s.",
        "%(mode)r bir eşitleme kipi değil; şunlardan birini seçin: %(values)s.",
    ),
    "Account %(account)r is disabled (enabled=false); enable it before syncing.": (
        "Учётная запись %(account)r отключена (enabled=false); включите её перед синхронизацией.",
        "%(account)r тіркелгісі өшірулі (enabled=false); синхрондау алдында оны қосыңыз.",
        "%(account)r hesabı devre dışı (enabled=false); eşitlemeden önce etkinleştirin.",
    ),
    "no connector syncs stream %(stream)r for kind %(kind)r": (
        "ни один коннектор не синхронизирует поток %(stream)r для вида %(kind)r",
        "%(kind)r түрі үшін %(stream)r ағынын ешбір коннектор синхрондамайды",
        "%(kind)r türü için %(stream)r akışını eşitleyen bir bağlayıcı yok",
    ),
    "the account was disabled after the run was queued": (
        "учётную запись отключили после постановки запуска в очередь",
        "іске қосу кезекке қойылғаннан кейін тіркелгі өшірілді",
        "çalıştırma kuyruğa alındıktan sonra hesap devre dışı bırakıldı",
    ),
    "the account's options are invalid (%(exc)s)": (
        "параметры учётной записи недопустимы (%(exc)s)",
        "тіркелгі параметрлері жарамсыз (%(exc)s)",
        "hesabın seçenekleri geçersiz (%(exc)s)",
    ),
    "start_date is after end_date.": (
        "start_date позже end_date.",
        "start_date мәні end_date мәнінен кейін.",
        "start_date, end_date tarihinden sonra.",
    ),
    "fetch at most 366 days at a time.": (
        "загружайте не более 366 дней за раз.",
        "бір ретте ең көбі 366 күнді алыңыз.",
        "tek seferde en fazla 366 gün alın.",
    ),
    "No enabled 1C account%(value)s is configured.": (
        "Не настроена включённая учётная запись 1С%(value)s.",
        "Қосулы 1С тіркелгісі%(value)s бапталмаған.",
        "Etkin bir 1C hesabı%(value)s yapılandırılmamış.",
    ),
    "Add a 1C integration account (or enable it) first.": (
        "Сначала добавьте (или включите) учётную запись интеграции 1С.",
        "Алдымен 1С интеграция тіркелгісін қосыңыз (немесе іске қосыңыз).",
        "Önce bir 1C entegrasyon hesabı ekleyin (veya etkinleştirin).",
    ),
    "Several 1C accounts are configured: ": (
        "Настроено несколько учётных записей 1С: ",
        "Бірнеше 1С тіркелгісі бапталған: ",
        "Birden çok 1C hesabı yapılandırılmış: ",
    ),
    "Name the one to sync with ?account=<name>.": (
        "Укажите нужную через ?account=<имя>.",
        "Синхрондалатынын ?account=<атауы> арқылы көрсетіңіз.",
        "Eşitlenecek olanı ?account=<ad> ile belirtin.",
    ),
    "%(name)s must be true or false, got %(raw)r.": (
        "%(name)s должно быть true или false, получено %(raw)r.",
        "%(name)s true немесе false болуы керек, алынғаны %(raw)r.",
        "%(name)s true veya false olmalı, gelen değer %(raw)r.",
    ),
    "persist=true needs POST; a GET never stores anything.": (
        "persist=true требует POST; GET никогда ничего не сохраняет.",
        "persist=true үшін POST қажет; GET ешқашан ештеңе сақтамайды.",
        "persist=true için POST gerekir; GET hiçbir zaman bir şey kaydetmez.",
    ),
    "The slot %(slot)s already has snapshot %(snapshot_id)s; one snapshot per slot. POST without persist to see the current state, or wait for the next slot.": (
        "В слоте %(slot)s уже есть снимок %(snapshot_id)s; один снимок на слот. Отправьте POST без persist, чтобы увидеть текущее состояние, или дождитесь следующего слота.",
        "%(slot)s слотында %(snapshot_id)s суреті бар; бір слотқа бір сурет. Ағымдағы күйді көру үшін persist-сіз POST жіберіңіз немесе келесі слотты күтіңіз.",
        "%(slot)s diliminde zaten %(snapshot_id)s görüntüsü var; dilim başına bir görüntü. Güncel durumu görmek için persist olmadan POST gönderin veya sonraki dilimi bekleyin.",
    ),
    "Another builder is storing the snapshot of slot %(slot)s right now; read it from status.": (
        "Другой процесс прямо сейчас сохраняет снимок слота %(slot)s; прочитайте его из status.",
        "Басқа процесс дәл қазір %(slot)s слотының суретін сақтап жатыр; оны status арқылы оқыңыз.",
        "Başka bir oluşturucu şu anda %(slot)s diliminin görüntüsünü kaydediyor; onu status üzerinden okuyun.",
    ),
    "An empty limit is not a number; leave the parameter out or give one.": (
        "Пустой limit — не число; не передавайте параметр или укажите число.",
        "Бос limit сан емес; параметрді жібермеңіз немесе сан беріңіз.",
        "Boş bir limit sayı değildir; parametreyi göndermeyin veya bir sayı verin.",
    ),
    "limit must be a whole number, got %(raw)r.": (
        "limit должен быть целым числом, получено %(raw)r.",
        "limit бүтін сан болуы керек, алынғаны %(raw)r.",
        "limit tam sayı olmalı, gelen değer %(raw)r.",
    ),
    "limit must be between 1 and %(maximum)s; got %(limit)s.": (
        "limit должен быть от 1 до %(maximum)s; получено %(limit)s.",
        "limit 1 мен %(maximum)s аралығында болуы керек; алынғаны %(limit)s.",
        "limit 1 ile %(maximum)s arasında olmalı; gelen değer %(limit)s.",
    ),
    "%(name)s must be an ISO date (2025-03-01) or date-time (2025-03-01T12:00:00Z), got %(raw)r.": (
        "%(name)s должно быть датой ISO (2025-03-01) или датой-временем (2025-03-01T12:00:00Z), получено %(raw)r.",
        "%(name)s ISO күні (2025-03-01) немесе күн-уақыты (2025-03-01T12:00:00Z) болуы керек, алынғаны %(raw)r.",
        "%(name)s bir ISO tarihi (2025-03-01) veya tarih-saati (2025-03-01T12:00:00Z) olmalı, gelen değer %(raw)r.",
    ),
    "metrics is required: comma-separated metric paths.": (
        "metrics обязателен: пути метрик через запятую.",
        "metrics міндетті: үтірмен бөлінген метрика жолдары.",
        "metrics gerekli: virgülle ayrılmış metrik yolları.",
    ),
    "Unknown metric(s): %(unknown)s. Valid metrics: %(METRIC_PATHS)s.": (
        "Неизвестные метрики: %(unknown)s. Допустимые метрики: %(METRIC_PATHS)s.",
        "Белгісіз метрикалар: %(unknown)s. Жарамды метрикалар: %(METRIC_PATHS)s.",
        "Bilinmeyen metrikler: %(unknown)s. Geçerli metrikler: %(METRIC_PATHS)s.",
    ),
    "from (%(from)s) must not be after to (%(to)s).": (
        "from (%(from)s) не должен быть позже to (%(to)s).",
        "from (%(from)s) мәні to (%(to)s) мәнінен кейін болмауы керек.",
        "from (%(from)s), to (%(to)s) değerinden sonra olmamalı.",
    ),
    "The span from..to may be at most %(max_days)s days; narrow it.": (
        "Интервал from..to может быть не больше %(max_days)s дней; сузьте его.",
        "from..to аралығы ең көбі %(max_days)s күн бола алады; оны тарылтыңыз.",
        "from..to aralığı en fazla %(max_days)s gün olabilir; daraltın.",
    ),
    "Unknown metric %(value)r. Valid metrics: %(METRIC_PATHS)s.": (
        "Неизвестная метрика %(value)r. Допустимые метрики: %(METRIC_PATHS)s.",
        "Белгісіз метрика %(value)r. Жарамды метрикалар: %(METRIC_PATHS)s.",
        "Bilinmeyen metrik %(value)r. Geçerli metrikler: %(METRIC_PATHS)s.",
    ),
    "%(address)r is not a valid e-mail address; separate addresses with commas.": (
        "%(address)r — недопустимый адрес e-mail; разделяйте адреса запятыми.",
        "%(address)r — жарамсыз e-mail мекенжайы; мекенжайларды үтірмен бөліңіз.",
        "%(address)r geçerli bir e-posta adresi değil; adresleri virgülle ayırın.",
    ),
    "… and %(count)s more refused.": (
        "… и ещё отклонено: %(count)s.",
        "… және тағы %(count)s қабылданбады.",
        "… ve %(count)s tane daha reddedildi.",
    ),
    "%(returned)s approved proposal(s) of PO %(obj_id)s went back to review.": (
        "Утверждённые предложения заказа %(obj_id)s возвращены на проверку: %(returned)s.",
        "%(obj_id)s тапсырысының бекітілген ұсыныстары тексеруге қайтарылды: %(returned)s.",
        "%(obj_id)s numaralı siparişin %(returned)s onaylı önerisi incelemeye geri döndü.",
    ),
    "%(obj)s was saved but is not the default: %(exc)s": (
        "%(obj)s сохранён, но не стал основным: %(exc)s",
        "%(obj)s сақталды, бірақ әдепкі болмады: %(exc)s",
        "%(obj)s kaydedildi ancak varsayılan değil: %(exc)s",
    ),
    "Replay #%(run_id)s is queued; this page follows its progress.": (
        "Воспроизведение #%(run_id)s в очереди; эта страница показывает его ход.",
        "#%(run_id)s қайта ойнату кезекте; бұл бет оның барысын көрсетеді.",
        "#%(run_id)s yeniden oynatma kuyrukta; bu sayfa ilerlemesini izler.",
    ),
    "%(item_id)r is not a replay item id.": (
        "%(item_id)r — не id элемента воспроизведения.",
        "%(item_id)r — қайта ойнату элементінің id-і емес.",
        "%(item_id)r bir yeniden oynatma öğesi kimliği değil.",
    ),
    "Replay #%(run_id)s has no item %(item_id)s.": (
        "В воспроизведении #%(run_id)s нет элемента %(item_id)s.",
        "#%(run_id)s қайта ойнатуында %(item_id)s элементі жоқ.",
        "#%(run_id)s yeniden oynatmasında %(item_id)s öğesi yok.",
    ),
    "%(sku)s already has a BOM variant '%(variant)s' version %(version)s; use another version or edit that one.": (
        "У %(sku)s уже есть вариант спецификации '%(variant)s' версии %(version)s; используйте другую версию или измените эту.",
        "%(sku)s үшін '%(variant)s' спецификация нұсқасының %(version)s версиясы бар; басқа версияны пайдаланыңыз немесе соны өзгертіңіз.",
        "%(sku)s için '%(variant)s' ürün ağacı varyantının %(version)s sürümü zaten var; başka bir sürüm kullanın veya onu düzenleyin.",
    ),
    "Variant '%(variant)s' version %(version)s already exists.": (
        "Вариант '%(variant)s' версии %(version)s уже существует.",
        "'%(variant)s' нұсқасының %(version)s версиясы бұрыннан бар.",
        "'%(variant)s' varyantının %(version)s sürümü zaten var.",
    ),
    "Give component (id) or component_sku.": (
        "Укажите component (id) или component_sku.",
        "component (id) немесе component_sku беріңіз.",
        "component (kimlik) veya component_sku verin.",
    ),
    "A draft (lines) needs its product.": (
        "Для черновика (lines) нужен товар.",
        "Жобаға (lines) оның тауары қажет.",
        "Bir taslağın (lines) ürünü olmalı.",
    ),
    "Product %(product)s does not exist.": (
        "Товар %(product)s не существует.",
        "%(product)s тауары жоқ.",
        "%(product)s ürünü yok.",
    ),
    "BOM %(bom)s does not exist.": (
        "Спецификация %(bom)s не существует.",
        "%(bom)s спецификациясы жоқ.",
        "%(bom)s ürün ağacı yok.",
    ),
    "lead_time_days + review_period_days must be at least 1.": (
        "lead_time_days + review_period_days должно быть не меньше 1.",
        "lead_time_days + review_period_days кемінде 1 болуы керек.",
        "lead_time_days + review_period_days en az 1 olmalı.",
    ),
    "Give both p10 and p90, or neither.": (
        "Укажите и p10, и p90 или ни одного.",
        "p10 мен p90-ды бірге беріңіз немесе ешқайсысын бермеңіз.",
        "p10 ve p90'ı birlikte verin ya da hiçbirini vermeyin.",
    ),
    "Quantiles must be ordered p10 ≤ p50 ≤ p90; got %(p10)s, %(p50)s, %(p90)s.": (
        "Квантили должны быть упорядочены: p10 ≤ p50 ≤ p90; получено %(p10)s, %(p50)s, %(p90)s.",
        "Квантильдер p10 ≤ p50 ≤ p90 ретімен болуы керек; алынғаны %(p10)s, %(p50)s, %(p90)s.",
        "Yüzdelikler p10 ≤ p50 ≤ p90 sıralı olmalı; gelen değerler %(p10)s, %(p50)s, %(p90)s.",
    ),
    "Give exactly one of demand.daily or demand.quantiles.": (
        "Укажите ровно одно из demand.daily или demand.quantiles.",
        "demand.daily немесе demand.quantiles екеуінің дәл біреуін беріңіз.",
        "demand.daily veya demand.quantiles'dan tam olarak birini verin.",
    ),
    "At most 3660 days.": (
        "Не более 3660 дней.",
        "Ең көбі 3660 күн.",
        "En fazla 3660 gün.",
    ),
    "Give a product or a category, not both: the product's own category applies.": (
        "Укажите товар или категорию, но не оба: действует собственная категория товара.",
        "Тауарды немесе санатты беріңіз, екеуін бірге емес: тауардың өз санаты қолданылады.",
        "Bir ürün veya bir kategori verin, ikisini birden değil: ürünün kendi kategorisi geçerlidir.",
    ),
    "Settings for this scope already exist (id %(existing_id)s); change that row instead.": (
        "Настройки для этой области уже существуют (id %(existing_id)s); измените ту строку.",
        "Бұл аймақ үшін баптаулар бұрыннан бар (id %(existing_id)s); оның орнына сол жолды өзгертіңіз.",
        "Bu kapsam için ayarlar zaten var (kimlik %(existing_id)s); bunun yerine o satırı değiştirin.",
    ),
    "BOM %(bom_id)s is not a BOM of %(sku)s.": (
        "Спецификация %(bom_id)s не относится к %(sku)s.",
        "%(bom_id)s спецификациясы %(sku)s тауарына жатпайды.",
        "%(bom_id)s ürün ağacı %(sku)s ürününe ait değil.",
    ),
    "Give a target status, a position, or both.": (
        "Укажите целевой статус, позицию или и то и другое.",
        "Мақсатты күйді, орынды немесе екеуін де беріңіз.",
        "Bir hedef durum, bir konum veya ikisini birden verin.",
    ),
    "A reason is required for an adjustment.": (
        "Для корректировки нужна причина.",
        "Түзету үшін себеп қажет.",
        "Bir düzeltme için neden gereklidir.",
    ),
    "Quantity must not be 0.": (
        "Количество не должно быть 0.",
        "Саны 0 болмауы керек.",
        "Miktar 0 olmamalı.",
    ),
    "A transfer needs to_location.": (
        "Для перемещения нужен to_location.",
        "Ауыстыруға to_location қажет.",
        "Bir transfer için to_location gerekir.",
    ),
    "A transfer quantity must be positive.": (
        "Количество перемещения должно быть положительным.",
        "Ауыстыру саны оң болуы керек.",
        "Transfer miktarı pozitif olmalı.",
    ),
    "A reason is required.": (
        "Нужна причина.",
        "Себеп қажет.",
        "Neden gereklidir.",
    ),
    "BOM %(bom_id)s is used by production tasks; deactivate it instead.": (
        "Спецификация %(bom_id)s используется производственными заданиями; вместо удаления деактивируйте её.",
        "%(bom_id)s спецификациясы өндірістік тапсырмаларда қолданылады; оның орнына оны өшіріңіз.",
        "%(bom_id)s ürün ağacı üretim görevlerinde kullanılıyor; bunun yerine pasifleştirin.",
    ),
    "Give product, component, where_used or q.": (
        "Укажите product, component, where_used или q.",
        "product, component, where_used немесе q беріңіз.",
        "product, component, where_used veya q verin.",
    ),
    "No product with id or SKU %(value)r.": (
        "Нет товара с id или артикулом %(value)r.",
        "id-і немесе артикулы %(value)r тауар жоқ.",
        "Kimliği veya stok kodu %(value)r olan ürün yok.",
    ),
    "quantity must be a number, got %(raw)r.": (
        "quantity должно быть числом, получено %(raw)r.",
        "quantity сан болуы керек, алынғаны %(raw)r.",
        "quantity bir sayı olmalı, gelen değer %(raw)r.",
    ),
    "quantity must be greater than 0 and at most %(MAX_EXPLODE_QUANTITY)s, got %(raw)r.": (
        "quantity должно быть больше 0 и не больше %(MAX_EXPLODE_QUANTITY)s, получено %(raw)r.",
        "quantity 0-ден үлкен және ең көбі %(MAX_EXPLODE_QUANTITY)s болуы керек, алынғаны %(raw)r.",
        "quantity 0'dan büyük ve en fazla %(MAX_EXPLODE_QUANTITY)s olmalı, gelen değer %(raw)r.",
    ),
    "Day %(day)s appears twice in demand.quantiles.": (
        "День %(day)s встречается в demand.quantiles дважды.",
        "%(day)s күні demand.quantiles ішінде екі рет кездеседі.",
        "%(day)s günü demand.quantiles içinde iki kez geçiyor.",
    ),
    "The BOM structure has a cycle: %(path)s. Fix it with POST /bom/validate first.": (
        "В структуре спецификаций есть цикл: %(path)s. Сначала исправьте его через POST /bom/validate.",
        "Спецификация құрылымында цикл бар: %(path)s. Алдымен оны POST /bom/validate арқылы түзетіңіз.",
        "Ürün ağacı yapısında bir döngü var: %(path)s. Önce POST /bom/validate ile düzeltin.",
    ),
    "Not enough stock (%(shortages)s). Receive, release or adjust stock first, or allow negative stock.": (
        "Недостаточно запаса (%(shortages)s). Сначала оприходуйте, освободите или скорректируйте запас либо разрешите отрицательный остаток.",
        "Қор жеткіліксіз (%(shortages)s). Алдымен қорды қабылдаңыз, босатыңыз немесе түзетіңіз, не теріс қалдыққа рұқсат етіңіз.",
        "Yeterli stok yok (%(shortages)s). Önce stok girişi yapın, stoğu serbest bırakın veya düzeltin ya da negatif stoğa izin verin.",
    ),
    "product %(product_id)s at location %(location_id)s": (
        "товар %(product_id)s в точке %(location_id)s",
        "%(location_id)s нүктесіндегі %(product_id)s тауары",
        "%(location_id)s lokasyonundaki %(product_id)s ürünü",
    ),
    ", lot %(lot_id)s": (
        ", партия %(lot_id)s",
        ", %(lot_id)s партиясы",
        ", parti %(lot_id)s",
    ),
    "on hand %(on_hand)s": (
        "в наличии %(on_hand)s",
        "қолда бар %(on_hand)s",
        "eldeki %(on_hand)s",
    ),
    "%(where)s: %(have)s, needs %(required)s": (
        "%(where)s: %(have)s, нужно %(required)s",
        "%(where)s: %(have)s, қажет %(required)s",
        "%(where)s: %(have)s, gereken %(required)s",
    ),
    "%(quantity)s in quarantine": (
        "%(quantity)s на карантине",
        "карантинде %(quantity)s",
        "karantinada %(quantity)s",
    ),
    "%(quantity)s blocked": (
        "%(quantity)s заблокировано",
        "бұғатталған %(quantity)s",
        "engellenmiş %(quantity)s",
    ),
    "(%(held)s cannot be used)": (
        "(%(held)s нельзя использовать)",
        "(%(held)s пайдалануға болмайды)",
        "(%(held)s kullanılamaz)",
    ),
    "Unknown movement kind %(kind)r; use one of %(MOVEMENT_SIGN)s.": (
        "Неизвестный вид движения %(kind)r; используйте один из %(MOVEMENT_SIGN)s.",
        "Белгісіз қозғалыс түрі %(kind)r; %(MOVEMENT_SIGN)s ішінен бірін пайдаланыңыз.",
        "Bilinmeyen hareket türü %(kind)r; %(MOVEMENT_SIGN)s içinden birini kullanın.",
    ),
    "Unknown stock status %(status)r; use one of %(values)s.": (
        "Неизвестный статус запаса %(status)r; используйте один из %(values)s.",
        "Белгісіз қор күйі %(status)r; %(values)s ішінен бірін пайдаланыңыз.",
        "Bilinmeyen stok durumu %(status)r; %(values)s içinden birini kullanın.",
    ),
    "A %(kind)s movement of product %(product_id)s must not be zero.": (
        "Движение вида %(kind)s по товару %(product_id)s не должно быть нулевым.",
        "%(product_id)s тауарының %(kind)s қозғалысы нөл болмауы керек.",
        "%(product_id)s ürününün %(kind)s hareketi sıfır olmamalı.",
    ),
    "A %(kind)s movement must be %(word)s; got %(quantity)s.": (
        "Движение вида %(kind)s должно быть %(word)s; получено %(quantity)s.",
        "%(kind)s қозғалысы %(word)s болуы керек; алынғаны %(quantity)s.",
        "Bir %(kind)s hareketi %(word)s olmalı; gelen değer %(quantity)s.",
    ),
    "An adjustment needs a reason (e.g. 'stock count 2026-03-01').": (
        "Для корректировки нужна причина (например, 'инвентаризация 2026-03-01').",
        "Түзетуге себеп қажет (мысалы, 'түгендеу 2026-03-01').",
        "Bir düzeltme için neden gerekir (ör. 'stok sayımı 2026-03-01').",
    ),
    "A counted on-hand cannot be negative; got %(new_on_hand)s.": (
        "Пересчитанный остаток не может быть отрицательным; получено %(new_on_hand)s.",
        "Саналған қалдық теріс бола алмайды; алынғаны %(new_on_hand)s.",
        "Sayılan eldeki miktar negatif olamaz; gelen değer %(new_on_hand)s.",
    ),
    "A status change quantity must be positive; got %(quantity)s.": (
        "Количество при смене статуса должно быть положительным; получено %(quantity)s.",
        "Күй өзгерту саны оң болуы керек; алынғаны %(quantity)s.",
        "Durum değişikliği miktarı pozitif olmalı; gelen değer %(quantity)s.",
    ),
    "The stock is already %(to_status)s.": (
        "Запас уже в статусе %(to_status)s.",
        "Қор әлдеқашан %(to_status)s күйінде.",
        "Stok zaten %(to_status)s durumunda.",
    ),
    "A status change needs a reason.": (
        "Для смены статуса нужна причина.",
        "Күйді өзгертуге себеп қажет.",
        "Bir durum değişikliği için neden gerekir.",
    ),
    "Stock is written off as scrap or rework, not %(kind)r.": (
        "Запас списывается как брак или на переделку, а не как %(kind)r.",
        "Қор ақау немесе қайта өңдеу ретінде есептен шығарылады, %(kind)r ретінде емес.",
        "Stok hurda veya yeniden işleme olarak düşülür, %(kind)r olarak değil.",
    ),
    "A scrap quantity must be positive; got %(quantity)s.": (
        "Количество брака должно быть положительным; получено %(quantity)s.",
        "Ақау саны оң болуы керек; алынғаны %(quantity)s.",
        "Hurda miktarı pozitif olmalı; gelen değer %(quantity)s.",
    ),
    "Scrapping stock needs a reason.": (
        "Для списания в брак нужна причина.",
        "Қорды ақауға шығаруға себеп қажет.",
        "Stoğu hurdaya ayırmak için neden gerekir.",
    ),
    "A transfer quantity must be positive; got %(quantity)s.": (
        "Количество перемещения должно быть положительным; получено %(quantity)s.",
        "Ауыстыру саны оң болуы керек; алынғаны %(quantity)s.",
        "Transfer miktarı pozitif olmalı; gelen değer %(quantity)s.",
    ),
    "A transfer needs two different locations.": (
        "Для перемещения нужны две разные точки.",
        "Ауыстыруға екі түрлі нүкте қажет.",
        "Bir transfer iki farklı lokasyon gerektirir.",
    ),
    "A lot needs a number.": (
        "Партии нужен номер.",
        "Партияға нөмір қажет.",
        "Bir partinin numarası olmalı.",
    ),
    "Lot %(number)s: expiry %(expires_on)s is before its date %(produced_on)s.": (
        "Партия %(number)s: срок годности %(expires_on)s раньше её даты %(produced_on)s.",
        "%(number)s партиясы: жарамдылық мерзімі %(expires_on)s оның күнінен %(produced_on)s бұрын.",
        "Parti %(number)s: son kullanma tarihi %(expires_on)s, parti tarihinden %(produced_on)s önce.",
    ),
    "Product %(sku)s already has a lot %(number)s; use another lot number.": (
        "У товара %(sku)s уже есть партия %(number)s; используйте другой номер партии.",
        "%(sku)s тауарында %(number)s партиясы бар; басқа партия нөмірін пайдаланыңыз.",
        "%(sku)s ürününün zaten %(number)s partisi var; başka bir parti numarası kullanın.",
    ),
    "Product %(product_id)s has no lot %(number)r.": (
        "У товара %(product_id)s нет партии %(number)r.",
        "%(product_id)s тауарында %(number)r партиясы жоқ.",
        "%(product_id)s ürününün %(number)r partisi yok.",
    ),
    "Lot %(number)s of %(sku)s is %(status)s; it cannot become %(target)s (allowed from: %(value)s).": (
        "Партия %(number)s товара %(sku)s в статусе %(status)s; она не может стать %(target)s (допустимо из: %(value)s).",
        "%(sku)s тауарының %(number)s партиясы %(status)s күйінде; ол %(target)s бола алмайды (рұқсат етілген күйлер: %(value)s).",
        "%(sku)s ürününün %(number)s partisi %(status)s durumunda; %(target)s olamaz (izin verilen durumlar: %(value)s).",
    ),
    "Lot %(number)s: a decision to make it %(target)s needs a note saying why.": (
        "Партия %(number)s: решение перевести её в %(target)s требует примечания с причиной.",
        "%(number)s партиясы: оны %(target)s ету шешіміне себебін түсіндіретін ескерту қажет.",
        "Parti %(number)s: onu %(target)s yapma kararı için nedenini belirten bir not gerekir.",
    ),
    "must be between %(MIN_SERVICE_LEVEL)s and %(MAX_SERVICE_LEVEL)s, got %(service_level)s.": (
        "должно быть от %(MIN_SERVICE_LEVEL)s до %(MAX_SERVICE_LEVEL)s, получено %(service_level)s.",
        "%(MIN_SERVICE_LEVEL)s мен %(MAX_SERVICE_LEVEL)s аралығында болуы керек, алынғаны %(service_level)s.",
        "%(MIN_SERVICE_LEVEL)s ile %(MAX_SERVICE_LEVEL)s arasında olmalı, gelen değer %(service_level)s.",
    ),
    "must be 0 or more.": (
        "должно быть 0 или больше.",
        "0 немесе одан көп болуы керек.",
        "0 veya daha fazla olmalı.",
    ),
    "lead time + review period must be at least one day.": (
        "срок поставки + период пересмотра должны быть не меньше одного дня.",
        "жеткізу мерзімі + қайта қарау кезеңі кемінде бір күн болуы керек.",
        "tedarik süresi + gözden geçirme dönemi en az bir gün olmalı.",
    ),
    "must be greater than 0, got %(pack_size)s.": (
        "должно быть больше 0, получено %(pack_size)s.",
        "0-ден үлкен болуы керек, алынғаны %(pack_size)s.",
        "0'dan büyük olmalı, gelen değer %(pack_size)s.",
    ),
    "must be 0 or more, got %(moq)s.": (
        "должно быть 0 или больше, получено %(moq)s.",
        "0 немесе одан көп болуы керек, алынғаны %(moq)s.",
        "0 veya daha fazla olmalı, gelen değer %(moq)s.",
    ),
    "must be 0 or more, got %(max_stock)s.": (
        "должно быть 0 или больше, получено %(max_stock)s.",
        "0 немесе одан көп болуы керек, алынғаны %(max_stock)s.",
        "0 veya daha fazla olmalı, gelen değer %(max_stock)s.",
    ),
    "must be a Decimal.": (
        "должно быть Decimal.",
        "Decimal болуы керек.",
        "Decimal olmalı.",
    ),
    "a day appears twice in the demand.": (
        "день встречается в спросе дважды.",
        "сұраныста бір күн екі рет кездеседі.",
        "talepte bir gün iki kez geçiyor.",
    ),
    "p50 of %(day)s is negative (%(p50)s).": (
        "p50 на %(day)s отрицательный (%(p50)s).",
        "%(day)s күнгі p50 теріс (%(p50)s).",
        "%(day)s için p50 negatif (%(p50)s).",
    ),
    "Task %(task_id)s is %(status)s; it cannot become %(target)s (allowed from: %(allowed)s).": (
        "Задание %(task_id)s в статусе %(status)s; оно не может стать %(target)s (допустимо из: %(allowed)s).",
        "%(task_id)s тапсырмасы %(status)s күйінде; ол %(target)s бола алмайды (рұқсат етілген күйлер: %(allowed)s).",
        "%(task_id)s görevi %(status)s durumunda; %(target)s olamaz (izin verilen durumlar: %(allowed)s).",
    ),
    "no state": (
        "нет такого статуса",
        "ешбір күй жоқ",
        "hiçbir durum",
    ),
    "Task %(task_id)s is %(status)s; only a draft can be deleted (cancel it instead).": (
        "Задание %(task_id)s в статусе %(status)s; удалить можно только черновик (вместо этого отмените его).",
        "%(task_id)s тапсырмасы %(status)s күйінде; тек жобаны жоюға болады (оның орнына одан бас тартыңыз).",
        "%(task_id)s görevi %(status)s durumunda; yalnızca bir taslak silinebilir (bunun yerine iptal edin).",
    ),
    "Task %(task_id)s is %(status)s; only a draft can be edited.": (
        "Задание %(task_id)s в статусе %(status)s; изменить можно только черновик.",
        "%(task_id)s тапсырмасы %(status)s күйінде; тек жобаны өзгертуге болады.",
        "%(task_id)s görevi %(status)s durumunda; yalnızca bir taslak düzenlenebilir.",
    ),
    "Quantity must be greater than 0, got %(quantity)s.": (
        "Количество должно быть больше 0, получено %(quantity)s.",
        "Саны 0-ден үлкен болуы керек, алынғаны %(quantity)s.",
        "Miktar 0'dan büyük olmalı, gelen değer %(quantity)s.",
    ),
    "Product %(product_id)s has no active default BOM; create one at /api/v1/warehouse/bom/ first.": (
        "У товара %(product_id)s нет активной основной спецификации; сначала создайте её в /api/v1/warehouse/bom/.",
        "%(product_id)s тауарында белсенді әдепкі спецификация жоқ; алдымен оны /api/v1/warehouse/bom/ арқылы жасаңыз.",
        "%(product_id)s ürününün etkin varsayılan ürün ağacı yok; önce /api/v1/warehouse/bom/ adresinde bir tane oluşturun.",
    ),
    "BOM %(bom_id)s belongs to product %(product_id)s, not to product %(product_id2)s.": (
        "Спецификация %(bom_id)s относится к товару %(product_id)s, а не к товару %(product_id2)s.",
        "%(bom_id)s спецификациясы %(product_id2)s тауарына емес, %(product_id)s тауарына тиесілі.",
        "%(bom_id)s ürün ağacı %(product_id2)s ürününe değil, %(product_id)s ürününe ait.",
    ),
    "%(name)s cannot be edited; it follows from the task's status.": (
        "%(name)s нельзя изменить; оно следует из статуса задания.",
        "%(name)s өзгертуге болмайды; ол тапсырманың күйінен шығады.",
        "%(name)s düzenlenemez; görevin durumundan çıkar.",
    ),
    "Unknown column %(status)r; columns are %(BOARD_COLUMNS)s.": (
        "Неизвестная колонка %(status)r; колонки: %(BOARD_COLUMNS)s.",
        "Белгісіз баған %(status)r; бағандар: %(BOARD_COLUMNS)s.",
        "Bilinmeyen sütun %(status)r; sütunlar: %(BOARD_COLUMNS)s.",
    ),
    "Forecast run %(run)s does not exist.": (
        "Запуск прогноза %(run)s не существует.",
        "%(run)s болжам іске қосуы жоқ.",
        "%(run)s tahmin çalıştırması yok.",
    ),
    "Forecast run %(run_id)s is %(status)s; only a succeeded run can be planned from.": (
        "Запуск прогноза %(run_id)s в статусе %(status)s; планировать можно только по успешному запуску.",
        "%(run_id)s болжам іске қосуы %(status)s күйінде; тек сәтті іске қосу бойынша жоспарлауға болады.",
        "%(run_id)s tahmin çalıştırması %(status)s durumunda; yalnızca başarılı bir çalıştırmadan planlanabilir.",
    ),
    "Proposal run %(proposal_run_id)s is no longer queued; not run again.": (
        "Расчёт предложений %(proposal_run_id)s больше не в очереди; повторно не запускается.",
        "%(proposal_run_id)s ұсыныстар есебі енді кезекте емес; қайта іске қосылмайды.",
        "%(proposal_run_id)s öneri çalıştırması artık kuyrukta değil; yeniden çalıştırılmadı.",
    ),
    "Proposal run %(proposal_run_id)s is %(status)s, not queued.": (
        "Расчёт предложений %(proposal_run_id)s в статусе %(status)s, а не в очереди.",
        "%(proposal_run_id)s ұсыныстар есебі %(status)s күйінде, кезекте емес.",
        "%(proposal_run_id)s öneri çalıştırması %(status)s durumunda, kuyrukta değil.",
    ),
    "Proposal %(proposal_id)s is %(status)s; only a proposed one can be approved or rejected.": (
        "Предложение %(proposal_id)s в статусе %(status)s; утвердить или отклонить можно только предложенное.",
        "%(proposal_id)s ұсынысы %(status)s күйінде; тек ұсынылғанын бекітуге немесе қабылдамауға болады.",
        "%(proposal_id)s önerisi %(status)s durumunda; yalnızca önerilmiş olan onaylanabilir veya reddedilebilir.",
    ),
    "Supplier %(supplier_id)s does not exist; choose another supplier.": (
        "Поставщик %(supplier_id)s не существует; выберите другого поставщика.",
        "%(supplier_id)s жеткізушісі жоқ; басқа жеткізушіні таңдаңыз.",
        "%(supplier_id)s tedarikçisi yok; başka bir tedarikçi seçin.",
    ),
    "Proposal %(proposal_id)s has nothing to order (quantity %(quantity)s); approve with a quantity or reject it.": (
        "В предложении %(proposal_id)s нечего заказывать (количество %(quantity)s); утвердите с количеством или отклоните его.",
        "%(proposal_id)s ұсынысында тапсырыс беретін ештеңе жоқ (саны %(quantity)s); санын көрсетіп бекітіңіз немесе қабылдамаңыз.",
        "%(proposal_id)s önerisinde sipariş edilecek bir şey yok (miktar %(quantity)s); bir miktarla onaylayın veya reddedin.",
    ),
    "Purchase order %(order_id)s is %(status)s; cannot %(action)s it (allowed when: %(allowed)s).": (
        "Заказ поставщику %(order_id)s в статусе %(status)s; действие %(action)s невозможно (допустимо в статусах: %(allowed)s).",
        "%(order_id)s сатып алу тапсырысы %(status)s күйінде; %(action)s әрекеті мүмкін емес (рұқсат етілген күйлер: %(allowed)s).",
        "%(order_id)s satın alma siparişi %(status)s durumunda; %(action)s yapılamaz (izin verilen durumlar: %(allowed)s).",
    ),
    "Line %(index)s: quantity must be greater than 0.": (
        "Строка %(index)s: количество должно быть больше 0.",
        "%(index)s-жол: саны 0-ден үлкен болуы керек.",
        "Satır %(index)s: miktar 0'dan büyük olmalı.",
    ),
    "PO %(order_id)s carries %(count)s approved proposal(s); delete it with 'return the proposals to review', or remove those lines first.": (
        "Заказ %(order_id)s содержит утверждённые предложения: %(count)s; удалите его с «вернуть предложения на проверку» или сначала уберите эти строки.",
        "%(order_id)s тапсырысында бекітілген ұсыныстар бар: %(count)s; оны «ұсыныстарды тексеруге қайтару» арқылы жойыңыз немесе алдымен сол жолдарды алып тастаңыз.",
        "%(order_id)s siparişi %(count)s onaylı öneri taşıyor; 'önerileri incelemeye geri döndür' ile silin veya önce bu satırları kaldırın.",
    ),
    "Purchase order %(order_id)s has no supplier; set one before sending.": (
        "У заказа поставщику %(order_id)s нет поставщика; укажите его перед отправкой.",
        "%(order_id)s сатып алу тапсырысында жеткізуші жоқ; жібермес бұрын оны көрсетіңіз.",
        "%(order_id)s satın alma siparişinin tedarikçisi yok; göndermeden önce bir tane belirleyin.",
    ),
    "Purchase order %(order_id)s has no lines; add some before sending.": (
        "В заказе поставщику %(order_id)s нет строк; добавьте их перед отправкой.",
        "%(order_id)s сатып алу тапсырысында жолдар жоқ; жібермес бұрын қосыңыз.",
        "%(order_id)s satın alma siparişinin satırı yok; göndermeden önce ekleyin.",
    ),
    "Nothing to receive on purchase order %(order_id)s.": (
        "По заказу поставщику %(order_id)s нечего принимать.",
        "%(order_id)s сатып алу тапсырысы бойынша қабылдайтын ештеңе жоқ.",
        "%(order_id)s satın alma siparişinde teslim alınacak bir şey yok.",
    ),
    "Line %(line_id)s is not a line of purchase order %(order_id)s.": (
        "Строка %(line_id)s не относится к заказу поставщику %(order_id)s.",
        "%(line_id)s жолы %(order_id)s сатып алу тапсырысының жолы емес.",
        "%(line_id)s satırı %(order_id)s satın alma siparişinin satırı değil.",
    ),
    "Line %(line_id)s is listed twice; send one quantity per line.": (
        "Строка %(line_id)s указана дважды; передавайте одно количество на строку.",
        "%(line_id)s жолы екі рет көрсетілген; әр жолға бір сан жіберіңіз.",
        "%(line_id)s satırı iki kez listelenmiş; her satır için bir miktar gönderin.",
    ),
    "Line %(line_id)s: quantity must be greater than 0.": (
        "Строка %(line_id)s: количество должно быть больше 0.",
        "%(line_id)s жолы: саны 0-ден үлкен болуы керек.",
        "Satır %(line_id)s: miktar 0'dan büyük olmalı.",
    ),
    "Line %(line_id)s: receiving %(quantity)s but only %(outstanding_quantity)s is outstanding.": (
        "Строка %(line_id)s: принимается %(quantity)s, но ожидается только %(outstanding_quantity)s.",
        "%(line_id)s жолы: %(quantity)s қабылданады, бірақ тек %(outstanding_quantity)s күтілуде.",
        "Satır %(line_id)s: %(quantity)s teslim alınıyor ancak yalnızca %(outstanding_quantity)s bekleniyor.",
    ),
    "date_from: %(start)s is after date_to %(end)s": (
        "date_from: %(start)s позже date_to %(end)s",
        "date_from: %(start)s мәні date_to %(end)s мәнінен кейін",
        "date_from: %(start)s, date_to %(end)s tarihinden sonra",
    ),
    "date_to: a replay looks back; %(end)s is not before today (%(today)s)": (
        "date_to: воспроизведение смотрит в прошлое; %(end)s не раньше сегодняшнего дня (%(today)s)",
        "date_to: қайта ойнату өткенге қарайды; %(end)s бүгіннен (%(today)s) бұрын емес",
        "date_to: yeniden oynatma geçmişe bakar; %(end)s bugünden (%(today)s) önce değil",
    ),
    "date_from: the window is %(days)s days; at most %(MAX_WINDOW_DAYS)s": (
        "date_from: окно — %(days)s дн.; не более %(MAX_WINDOW_DAYS)s",
        "date_from: терезе %(days)s күн; ең көбі %(MAX_WINDOW_DAYS)s",
        "date_from: aralık %(days)s gün; en fazla %(MAX_WINDOW_DAYS)s",
    ),
    "retrain_every_days: a whole number of days from 1 to 366, got %(retrain)r": (
        "retrain_every_days: целое число дней от 1 до 366, получено %(retrain)r",
        "retrain_every_days: 1-ден 366-ға дейінгі бүтін күн саны, алынғаны %(retrain)r",
        "retrain_every_days: 1 ile 366 arasında tam gün sayısı, gelen değer %(retrain)r",
    ),
    "%(field)s: %(value)r is not a date (YYYY-MM-DD)": (
        "%(field)s: %(value)r — не дата (YYYY-MM-DD)",
        "%(field)s: %(value)r күн емес (YYYY-MM-DD)",
        "%(field)s: %(value)r bir tarih değil (YYYY-MM-DD)",
    ),
    "service_levels: a list of numbers between 0.5 and 0.9999": (
        "service_levels: список чисел от 0.5 до 0.9999",
        "service_levels: 0.5 пен 0.9999 аралығындағы сандар тізімі",
        "service_levels: 0.5 ile 0.9999 arasında sayılardan oluşan bir liste",
    ),
    "service_levels: %(item)r is not a number": (
        "service_levels: %(item)r — не число",
        "service_levels: %(item)r сан емес",
        "service_levels: %(item)r bir sayı değil",
    ),
    "service_levels: %(level)s is outside %(MIN_SERVICE_LEVEL)s … %(MAX_SERVICE_LEVEL)s": (
        "service_levels: %(level)s вне диапазона %(MIN_SERVICE_LEVEL)s … %(MAX_SERVICE_LEVEL)s",
        "service_levels: %(level)s мәні %(MIN_SERVICE_LEVEL)s … %(MAX_SERVICE_LEVEL)s аралығынан тыс",
        "service_levels: %(level)s, %(MIN_SERVICE_LEVEL)s … %(MAX_SERVICE_LEVEL)s aralığının dışında",
    ),
    "service_levels: at most 8 levels": (
        "service_levels: не более 8 уровней",
        "service_levels: ең көбі 8 деңгей",
        "service_levels: en fazla 8 düzey",
    ),
    "min %(low)s is above max %(high)s.": (
        "min %(low)s больше max %(high)s.",
        "min %(low)s мәні max %(high)s мәнінен жоғары.",
        "min %(low)s, max %(high)s değerinden büyük.",
    ),
    "A pass/fail method has no min/max.": (
        "У метода «годен/не годен» нет min/max.",
        "«Сәйкес/сәйкес емес» әдісінде min/max жоқ.",
        "Geçti/kaldı yönteminin min/max değeri yoktur.",
    ),
    "Give either a product or a category, not both.": (
        "Укажите либо товар, либо категорию, но не оба.",
        "Не тауарды, не санатты беріңіз, екеуін бірге емес.",
        "Ya bir ürün ya da bir kategori verin, ikisini birden değil.",
    ),
    "%(method)s is measured: give a min or a max.": (
        "%(method)s — измеряемый: укажите min или max.",
        "%(method)s өлшенеді: min немесе max беріңіз.",
        "%(method)s ölçülür: bir min veya max verin.",
    ),
    "%(method)s is pass/fail: no min/max.": (
        "%(method)s — «годен/не годен»: без min/max.",
        "%(method)s — «сәйкес/сәйкес емес»: min/max жоқ.",
        "%(method)s geçti/kaldı türündedir: min/max yok.",
    ),
    "This method already has a specification here.": (
        "Для этого метода здесь уже есть спецификация.",
        "Бұл әдістің мұнда спецификациясы бар.",
        "Bu yöntemin burada zaten bir spesifikasyonu var.",
    ),
    "Production task %(task_id)s does not exist.": (
        "Производственное задание %(task_id)s не существует.",
        "%(task_id)s өндірістік тапсырмасы жоқ.",
        "%(task_id)s üretim görevi yok.",
    ),
    "Inspection %(inspection_id)s is %(status)s; only an open one can be %(action)s.": (
        "Проверка %(inspection_id)s в статусе %(status)s; действие %(action)s возможно только для открытой.",
        "%(inspection_id)s тексеруі %(status)s күйінде; тек ашығына %(action)s әрекеті мүмкін.",
        "%(inspection_id)s denetimi %(status)s durumunda; yalnızca açık olan %(action)s olabilir.",
    ),
    "Production task %(task_id)s is %(status)s; only the output of a completed task can be inspected.": (
        "Производственное задание %(task_id)s в статусе %(status)s; проверять можно только выпуск выполненного задания.",
        "%(task_id)s өндірістік тапсырмасы %(status)s күйінде; тек аяқталған тапсырманың өнімін тексеруге болады.",
        "%(task_id)s üretim görevi %(status)s durumunda; yalnızca tamamlanmış bir görevin çıktısı denetlenebilir.",
    ),
    "Quantities must not be negative and something must be inspected.": (
        "Количества не должны быть отрицательными, и что-то должно быть проверено.",
        "Сандар теріс болмауы керек және бірдеңе тексерілуі керек.",
        "Miktarlar negatif olmamalı ve bir şey denetlenmeli.",
    ),
    "Passed %(passed_quantity)s + failed %(failed_quantity)s + rework %(rework_quantity)s must equal inspected %(inspected_quantity)s.": (
        "Годных %(passed_quantity)s + негодных %(failed_quantity)s + на переделку %(rework_quantity)s должно равняться проверенным %(inspected_quantity)s.",
        "Өткен %(passed_quantity)s + өтпеген %(failed_quantity)s + қайта өңдеу %(rework_quantity)s тексерілген %(inspected_quantity)s санына тең болуы керек.",
        "Geçen %(passed_quantity)s + kalan %(failed_quantity)s + yeniden işleme %(rework_quantity)s, denetlenen %(inspected_quantity)s miktarına eşit olmalı.",
    ),
    "Name at least one defect code for the failed and rework quantity.": (
        "Укажите хотя бы один код дефекта для негодного количества и количества на переделку.",
        "Өтпеген және қайта өңделетін сан үшін кемінде бір ақау кодын көрсетіңіз.",
        "Kalan ve yeniden işlenecek miktar için en az bir kusur kodu belirtin.",
    ),
    "Defect code %(defect_code_id)s does not exist or is retired.": (
        "Код дефекта %(defect_code_id)s не существует или выведен из употребления.",
        "%(defect_code_id)s ақау коды жоқ немесе қолданыстан шығарылған.",
        "%(defect_code_id)s kusur kodu yok veya kullanımdan kaldırılmış.",
    ),
    "Defect code %(code)s is listed twice.": (
        "Код дефекта %(code)s указан дважды.",
        "%(code)s ақау коды екі рет көрсетілген.",
        "%(code)s kusur kodu iki kez listelenmiş.",
    ),
    "Defect %(code)s: quantity must be between 0 and the failed + rework quantity %(bad)s.": (
        "Дефект %(code)s: количество должно быть больше 0 и не больше негодного + на переделку %(bad)s.",
        "%(code)s ақауы: саны 0 мен өтпеген + қайта өңдеу саны %(bad)s аралығында болуы керек.",
        "Kusur %(code)s: miktar 0 ile kalan + yeniden işleme miktarı %(bad)s arasında olmalı.",
    ),
    "Task %(task_id)s: %(in_quarantine)s of its output is in quarantine and not under another open inspection; cannot inspect %(inspected_quantity)s.": (
        "Задание %(task_id)s: на карантине и вне других открытых проверок %(in_quarantine)s его выпуска; нельзя проверить %(inspected_quantity)s.",
        "%(task_id)s тапсырмасы: өнімінің %(in_quarantine)s бөлігі карантинде және басқа ашық тексеруде емес; %(inspected_quantity)s тексеру мүмкін емес.",
        "Görev %(task_id)s: çıktısının %(in_quarantine)s kadarı karantinada ve başka bir açık denetimde değil; %(inspected_quantity)s denetlenemez.",
    ),
    "Lot %(number)s is %(status)s; inspection %(inspection_id)s can only release stock from quarantine.": (
        "Партия %(number)s в статусе %(status)s; проверка %(inspection_id)s может выпускать запас только с карантина.",
        "%(number)s партиясы %(status)s күйінде; %(inspection_id)s тексеруі тек карантиндегі қорды босата алады.",
        "Parti %(number)s %(status)s durumunda; %(inspection_id)s denetimi yalnızca karantinadaki stoğu serbest bırakabilir.",
    ),
    "Inspection %(inspection_id)s: cannot create the rework task: %(exc)s": (
        "Проверка %(inspection_id)s: не удалось создать задание на переделку: %(exc)s",
        "%(inspection_id)s тексеруі: қайта өңдеу тапсырмасын жасау мүмкін емес: %(exc)s",
        "Denetim %(inspection_id)s: yeniden işleme görevi oluşturulamıyor: %(exc)s",
    ),
    "Rejecting inspection %(inspection_id)s needs a reason.": (
        "Для отклонения проверки %(inspection_id)s нужна причина.",
        "%(inspection_id)s тексеруін қабылдамауға себеп қажет.",
        "%(inspection_id)s denetimini reddetmek için neden gerekir.",
    ),
    "Lot %(number)s is scrapped; there is nothing left to test.": (
        "Партия %(number)s списана в брак; тестировать нечего.",
        "%(number)s партиясы ақауға шығарылған; сынайтын ештеңе қалмады.",
        "Parti %(number)s hurdaya ayrıldı; test edilecek bir şey kalmadı.",
    ),
    "Product %(sku)s has no active specification (for itself or its category); add one at /api/v1/quality/specifications/ first.": (
        "У товара %(sku)s нет активной спецификации (для него или его категории); сначала добавьте её в /api/v1/quality/specifications/.",
        "%(sku)s тауарында белсенді спецификация жоқ (өзі немесе санаты үшін); алдымен оны /api/v1/quality/specifications/ арқылы қосыңыз.",
        "%(sku)s ürününün etkin bir spesifikasyonu yok (kendisi veya kategorisi için); önce /api/v1/quality/specifications/ adresinde bir tane ekleyin.",
    ),
    "Lab test %(test_id)s is %(status)s; its results and verdict are final.": (
        "Лабораторный тест %(test_id)s в статусе %(status)s; его результаты и заключение окончательны.",
        "%(test_id)s зертханалық сынағы %(status)s күйінде; оның нәтижелері мен қорытындысы түпкілікті.",
        "%(test_id)s laboratuvar testi %(status)s durumunda; sonuçları ve kararı kesindir.",
    ),
    "Send at least one result.": (
        "Отправьте хотя бы один результат.",
        "Кемінде бір нәтиже жіберіңіз.",
        "En az bir sonuç gönderin.",
    ),
    "Method %(method_id)s is not part of lab test %(test_id)s (its specification has methods %(value)s).": (
        "Метод %(method_id)s не входит в лабораторный тест %(test_id)s (в его спецификации методы %(value)s).",
        "%(method_id)s әдісі %(test_id)s зертханалық сынағына кірмейді (оның спецификациясындағы әдістер: %(value)s).",
        "%(method_id)s yöntemi %(test_id)s laboratuvar testinin parçası değil (spesifikasyonundaki yöntemler: %(value)s).",
    ),
    "Method %(method)s is listed twice.": (
        "Метод %(method)s указан дважды.",
        "%(method)s әдісі екі рет көрсетілген.",
        "%(method)s yöntemi iki kez listelenmiş.",
    ),
    "%(method)s is measured: send a value (in %(value)s).": (
        "%(method)s — измеряемый: отправьте значение (в %(value)s).",
        "%(method)s өлшенеді: мәнді жіберіңіз (%(value)s бірлігінде).",
        "%(method)s ölçülür: bir değer gönderin (%(value)s cinsinden).",
    ),
    "%(method)s is pass/fail: send passed true or false.": (
        "%(method)s — «годен/не годен»: отправьте passed true или false.",
        "%(method)s — «сәйкес/сәйкес емес»: passed true немесе false жіберіңіз.",
        "%(method)s geçti/kaldı türündedir: passed true veya false gönderin.",
    ),
    "Lab test %(test_id)s has no result yet for: %(missing)s.": (
        "В лабораторном тесте %(test_id)s ещё нет результата для: %(missing)s.",
        "%(test_id)s зертханалық сынағында мыналар үшін әлі нәтиже жоқ: %(missing)s.",
        "%(test_id)s laboratuvar testinde şunlar için henüz sonuç yok: %(missing)s.",
    ),
    "Unknown action %(action)r; use one of %(LOT_ACTION_TARGET)s.": (
        "Неизвестное действие %(action)r; используйте одно из %(LOT_ACTION_TARGET)s.",
        "Белгісіз әрекет %(action)r; %(LOT_ACTION_TARGET)s ішінен бірін пайдаланыңыз.",
        "Bilinmeyen işlem %(action)r; %(LOT_ACTION_TARGET)s içinden birini kullanın.",
    ),
    "Lot %(number)s of %(sku)s is %(status)s; '%(action)s' applies to a lot that is %(LOT_ACTION_FROM)s.": (
        "Партия %(number)s товара %(sku)s в статусе %(status)s; '%(action)s' применяется к партии в статусе %(LOT_ACTION_FROM)s.",
        "%(sku)s тауарының %(number)s партиясы %(status)s күйінде; '%(action)s' %(LOT_ACTION_FROM)s күйіндегі партияға қолданылады.",
        "%(sku)s ürününün %(number)s partisi %(status)s durumunda; '%(action)s' %(LOT_ACTION_FROM)s durumundaki bir partiye uygulanır.",
    ),
    "Lot %(number)s: a decision to %(action)s needs a note saying why.": (
        "Партия %(number)s: решение «%(action)s» требует примечания с причиной.",
        "%(number)s партиясы: «%(action)s» шешіміне себебін түсіндіретін ескерту қажет.",
        "Parti %(number)s: '%(action)s' kararı için nedenini belirten bir not gerekir.",
    ),
    "Lot %(number)s: lab test %(open_test_id)s is still open; record its verdict before releasing the lot.": (
        "Партия %(number)s: лабораторный тест %(open_test_id)s ещё открыт; запишите его заключение перед выпуском партии.",
        "%(number)s партиясы: %(open_test_id)s зертханалық сынағы әлі ашық; партияны босатпас бұрын оның қорытындысын жазыңыз.",
        "Parti %(number)s: %(open_test_id)s laboratuvar testi hâlâ açık; partiyi serbest bırakmadan önce kararını kaydedin.",
    ),
    "%(parent)r is %(instance)r itself or below it.": (
        "%(parent)r — это сам %(instance)r или узел под ним.",
        "%(parent)r — %(instance)r өзі немесе оның астындағы түйін.",
        "%(parent)r, %(instance)r kaydının kendisi veya altında.",
    ),
    "barcode %(code)s already belongs to %(sku)r": (
        "штрихкод %(code)s уже принадлежит %(sku)r",
        "%(code)s штрихкоды %(sku)r тауарына тиесілі",
        "%(code)s barkodu zaten %(sku)r ürününe ait",
    ),
    "a driver for this location, %(value)s and %(day)s exists already (id %(pk)s); update that one": (
        "фактор для этой точки, %(value)s и %(day)s уже существует (id %(pk)s); обновите его",
        "бұл нүкте, %(value)s және %(day)s үшін фактор бұрыннан бар (id %(pk)s); соны жаңартыңыз",
        "bu lokasyon, %(value)s ve %(day)s için bir etken zaten var (kimlik %(pk)s); onu güncelleyin",
    ),
    "customer %(external_id)r exists already for this account": (
        "клиент %(external_id)r для этой учётной записи уже существует",
        "%(external_id)r клиенті бұл тіркелгі үшін бұрыннан бар",
        "%(external_id)r müşterisi bu hesap için zaten var",
    ),
    "date_from (%(date_from)s) is after date_to (%(date_to)s).": (
        "date_from (%(date_from)s) позже date_to (%(date_to)s).",
        "date_from (%(date_from)s) мәні date_to (%(date_to)s) мәнінен кейін.",
        "date_from (%(date_from)s), date_to (%(date_to)s) tarihinden sonra.",
    ),
    "the range may span at most %(MAX_DAYS)s days.": (
        "диапазон может охватывать не более %(MAX_DAYS)s дней.",
        "ауқым ең көбі %(MAX_DAYS)s күнді қамти алады.",
        "aralık en fazla %(MAX_DAYS)s gün kapsayabilir.",
    ),
    "%(instance)s is still used by %(names)s; delete or move those first.": (
        "%(instance)s ещё используется в %(names)s; сначала удалите или перенесите их.",
        "%(instance)s әлі де %(names)s ішінде қолданылады; алдымен оларды жойыңыз немесе жылжытыңыз.",
        "%(instance)s hâlâ %(names)s tarafından kullanılıyor; önce bunları silin veya taşıyın.",
    ),
    "You may not %(action)s %(kind)s: that needs the permission(s) %(needed)s.": (
        "Вам нельзя выполнить %(action)s для %(kind)s: для этого нужны права %(needed)s.",
        "%(kind)s үшін %(action)s әрекетін орындауға болмайды: ол үшін %(needed)s рұқсаттары қажет.",
        "%(kind)s için %(action)s yapamazsınız: bunun için %(needed)s izinleri gerekir.",
    ),
    "%(value)r is not one of %(values)s.": (
        "%(value)r не входит в %(values)s.",
        "%(value)r мына мәндердің бірі емес: %(values)s.",
        "%(value)r şunlardan biri değil: %(values)s.",
    ),
    "%(value)r is not csv or xlsx.": (
        "%(value)r — не csv и не xlsx.",
        "%(value)r csv те, xlsx те емес.",
        "%(value)r csv veya xlsx değil.",
    ),
    "is required": (
        "обязательно",
        "міндетті",
        "gerekli",
    ),
    "%(type)r is not one of %(values)s": (
        "%(type)r не входит в %(values)s",
        "%(type)r мына мәндердің бірі емес: %(values)s",
        "%(type)r şunlardan biri değil: %(values)s",
    ),
    "duplicate code %(code)r: also on row %(parsed)s": (
        "повтор кода %(code)r: он есть и в строке %(parsed)s",
        "%(code)r коды қайталанады: ол %(parsed)s-жолда да бар",
        "yinelenen kod %(code)r: %(parsed)s. satırda da var",
    ),
    "branch %(code)r cannot be its own parent": (
        "филиал %(code)r не может быть собственным родителем",
        "%(code)r филиалы өзінің ата-түйіні бола алмайды",
        "%(code)r şubesi kendi üst öğesi olamaz",
    ),
    "branch %(code)r would become its own ancestor": (
        "филиал %(code)r стал бы собственным предком",
        "%(code)r филиалы өзінің атасы болып қалар еді",
        "%(code)r şubesi kendi atası olurdu",
    ),
    "unknown parent code %(parent_code)r: add it to the file or create the parent branch first": (
        "неизвестный код родителя %(parent_code)r: добавьте его в файл или сначала создайте родительский филиал",
        "белгісіз ата-түйін коды %(parent_code)r: оны файлға қосыңыз немесе алдымен ата филиалды жасаңыз",
        "bilinmeyen üst kod %(parent_code)r: dosyaya ekleyin veya önce üst şubeyi oluşturun",
    ),
    "duplicate category code %(code)r: also on row %(rows)s": (
        "повтор кода категории %(code)r: он есть и в строке %(rows)s",
        "%(code)r санат коды қайталанады: ол %(rows)s-жолда да бар",
        "yinelenen kategori kodu %(code)r: %(rows)s. satırda da var",
    ),
    "category %(code)r cannot be its own parent": (
        "категория %(code)r не может быть собственным родителем",
        "%(code)r санаты өзінің ата-санаты бола алмайды",
        "%(code)r kategorisi kendi üst öğesi olamaz",
    ),
    "is required for the new category %(code)r": (
        "обязательно для новой категории %(code)r",
        "жаңа %(code)r санаты үшін міндетті",
        "yeni %(code)r kategorisi için gerekli",
    ),
    "unknown category code %(parent_code)r": (
        "неизвестный код категории %(parent_code)r",
        "белгісіз санат коды %(parent_code)r",
        "bilinmeyen kategori kodu %(parent_code)r",
    ),
    "category %(code)r would become its own ancestor": (
        "категория %(code)r стала бы собственным предком",
        "%(code)r санаты өзінің атасы болып қалар еді",
        "%(code)r kategorisi kendi atası olurdu",
    ),
    "duplicate SKU %(sku)r: also on row %(seen_skus)s": (
        "повтор артикула %(sku)r: он есть и в строке %(seen_skus)s",
        "%(sku)r артикулы қайталанады: ол %(seen_skus)s-жолда да бар",
        "yinelenen stok kodu %(sku)r: %(seen_skus)s. satırda da var",
    ),
    "%(kind)r is not one of %(values)s": (
        "%(kind)r не входит в %(values)s",
        "%(kind)r мына мәндердің бірі емес: %(values)s",
        "%(kind)r şunlardan biri değil: %(values)s",
    ),
    "barcode %(code)s is also given to SKU %(owner)r on row %(owner2)s": (
        "штрихкод %(code)s также указан для артикула %(owner)r в строке %(owner2)s",
        "%(code)s штрихкоды %(owner2)s-жолдағы %(owner)r артикулына да берілген",
        "%(code)s barkodu %(owner2)s. satırdaki %(owner)r stok koduna da verilmiş",
    ),
    "needs an integration account (pass account=…)": (
        "нужна учётная запись интеграции (передайте account=…)",
        "интеграция тіркелгісі қажет (account=… беріңіз)",
        "bir entegrasyon hesabı gerekir (account=… verin)",
    ),
    "duplicate external id %(external_id)r: also on row %(seen_refs)s": (
        "повтор внешнего id %(external_id)r: он есть и в строке %(seen_refs)s",
        "%(external_id)r сыртқы id-і қайталанады: ол %(seen_refs)s-жолда да бар",
        "yinelenen dış kimlik %(external_id)r: %(seen_refs)s. satırda da var",
    ),
    "unknown category code %(code)r": (
        "неизвестный код категории %(code)r",
        "белгісіз санат коды %(code)r",
        "bilinmeyen kategori kodu %(code)r",
    ),
    "is required for the new product %(sku)r": (
        "обязательно для нового товара %(sku)r",
        "жаңа %(sku)r тауары үшін міндетті",
        "yeni %(sku)r ürünü için gerekli",
    ),
    "There is not enough disk space to store %(original_name)r (%(size_bytes)s bytes) for import; nothing was stored. Ask an administrator to free space where import files are kept (IMPORTS_ROOT), then upload it again.": (
        "Недостаточно места на диске, чтобы сохранить %(original_name)r (%(size_bytes)s байт) для импорта; ничего не сохранено. Попросите администратора освободить место там, где хранятся файлы импорта (IMPORTS_ROOT), затем загрузите файл снова.",
        "Импорт үшін %(original_name)r (%(size_bytes)s байт) сақтауға дискіде орын жеткіліксіз; ештеңе сақталмады. Әкімшіден импорт файлдары сақталатын жерде (IMPORTS_ROOT) орын босатуды сұраңыз, содан кейін файлды қайта жүктеңіз.",
        "İçe aktarma için %(original_name)r (%(size_bytes)s bayt) saklayacak kadar disk alanı yok; hiçbir şey saklanmadı. Bir yöneticiden içe aktarma dosyalarının tutulduğu yerde (IMPORTS_ROOT) yer açmasını isteyin, sonra dosyayı yeniden yükleyin.",
    ),
    "no location has id %(pk)r": (
        "нет точки с id %(pk)r",
        "id %(pk)r нүкте жоқ",
        "%(pk)r kimlikli lokasyon yok",
    ),
    "could not create location %(code)r: %(exc)s": (
        "не удалось создать точку %(code)r: %(exc)s",
        "%(code)r нүктесін жасау мүмкін болмады: %(exc)s",
        "%(code)r lokasyonu oluşturulamadı: %(exc)s",
    ),
    "unknown location code %(code)r: create the branch first or import with create-missing": (
        "неизвестный код точки %(code)r: сначала создайте филиал или импортируйте с create-missing",
        "белгісіз нүкте коды %(code)r: алдымен филиалды жасаңыз немесе create-missing арқылы импорттаңыз",
        "bilinmeyen lokasyon kodu %(code)r: önce şubeyi oluşturun veya create-missing ile içe aktarın",
    ),
    "no product has id %(pk)r": (
        "нет товара с id %(pk)r",
        "id %(pk)r тауар жоқ",
        "%(pk)r kimlikli ürün yok",
    ),
    "unknown SKU %(sku)r: import the product first or import with create-missing": (
        "неизвестный артикул %(sku)r: сначала импортируйте товар или импортируйте с create-missing",
        "белгісіз артикул %(sku)r: алдымен тауарды импорттаңыз немесе create-missing арқылы импорттаңыз",
        "bilinmeyen stok kodu %(sku)r: önce ürünü içe aktarın veya create-missing ile içe aktarın",
    ),
    "duplicate %(label)s for location %(get)r, %(product)r, %(when)s: also on row %(first)s": (
        "повтор %(label)s для точки %(get)r, %(product)r, %(when)s: есть и в строке %(first)s",
        "%(get)r нүктесі, %(product)r, %(when)s үшін %(label)s қайталанады: %(first)s-жолда да бар",
        "%(get)r lokasyonu, %(product)r, %(when)s için yinelenen %(label)s: %(first)s. satırda da var",
    ),
    "%(isoformat)s is in the future; sales end tomorrow (put future prices and promotions in driver-only rows)": (
        "%(isoformat)s — в будущем; продажи заканчиваются завтрашним днём (будущие цены и акции указывайте в строках только с факторами)",
        "%(isoformat)s болашақта; сатылым ертеңмен аяқталады (болашақ бағалар мен акцияларды тек факторлар жолдарына жазыңыз)",
        "%(isoformat)s gelecekte; satışlar yarın biter (gelecekteki fiyatları ve kampanyaları yalnızca etken satırlarına yazın)",
    ),
    "%(quantity_raw)r is negative; returned units go in 'returns' as a positive number": (
        "%(quantity_raw)r — отрицательное; возвращённые единицы указывайте в 'returns' положительным числом",
        "%(quantity_raw)r теріс; қайтарылған бірліктерді 'returns' бағанына оң санмен жазыңыз",
        "%(quantity_raw)r negatif; iade edilen birimler 'returns' alanına pozitif sayı olarak yazılır",
    ),
    "%(raw_as_of)s is not a plausible snapshot time (from 1900 up to now)": (
        "%(raw_as_of)s — неправдоподобное время снимка (от 1900 года до настоящего момента)",
        "%(raw_as_of)s — сенімсіз сурет уақыты (1900 жылдан қазірге дейін)",
        "%(raw_as_of)s makul bir görüntü zamanı değil (1900'den şimdiye kadar)",
    ),
    "location code %(code)r matches several locations (ids %(ambiguous)s); give location_id instead, or make the codes unique": (
        "код точки %(code)r совпадает с несколькими точками (id %(ambiguous)s); укажите location_id или сделайте коды уникальными",
        "%(code)r нүкте коды бірнеше нүктеге сәйкес келеді (id %(ambiguous)s); оның орнына location_id беріңіз немесе кодтарды бірегей етіңіз",
        "%(code)r lokasyon kodu birden çok lokasyonla eşleşiyor (kimlikler %(ambiguous)s); bunun yerine location_id verin veya kodları benzersiz yapın",
    ),
    "order %(external_id)r is synced from an integration account; change it in the source system.": (
        "заказ %(external_id)r синхронизируется из учётной записи интеграции; измените его в системе-источнике.",
        "%(external_id)r тапсырысы интеграция тіркелгісінен синхрондалады; оны бастапқы жүйеде өзгертіңіз.",
        "%(external_id)r siparişi bir entegrasyon hesabından eşitlenir; kaynak sistemde değiştirin.",
    ),
    "the external id of an order cannot change.": (
        "внешний id заказа нельзя изменить.",
        "тапсырыстың сыртқы id-ін өзгертуге болмайды.",
        "bir siparişin dış kimliği değişemez.",
    ),
    "order %(external_id)r exists already; update it with PUT.": (
        "заказ %(external_id)r уже существует; обновите его через PUT.",
        "%(external_id)r тапсырысы бұрыннан бар; оны PUT арқылы жаңартыңыз.",
        "%(external_id)r siparişi zaten var; PUT ile güncelleyin.",
    ),
    "%(value)r is not a number": (
        "%(value)r — не число",
        "%(value)r сан емес",
        "%(value)r bir sayı değil",
    ),
    "%(value)r is not a finite number": (
        "%(value)r — не конечное число",
        "%(value)r ақырлы сан емес",
        "%(value)r sonlu bir sayı değil",
    ),
    "%(value)r is too large (at most %(max_abs)s)": (
        "%(value)r слишком велико (не более %(max_abs)s)",
        "%(value)r тым үлкен (ең көбі %(max_abs)s)",
        "%(value)r çok büyük (en fazla %(max_abs)s)",
    ),
    "%(value)r must not be below %(minimum)s": (
        "%(value)r не должно быть меньше %(minimum)s",
        "%(value)r %(minimum)s мәнінен төмен болмауы керек",
        "%(value)r, %(minimum)s değerinin altında olmamalı",
    ),
    "%(value)r is not a yes/no value (use 1/0, true/false, yes/no)": (
        "%(value)r — не значение «да/нет» (используйте 1/0, true/false, yes/no)",
        "%(value)r «иә/жоқ» мәні емес (1/0, true/false, yes/no пайдаланыңыз)",
        "%(value)r bir evet/hayır değeri değil (1/0, true/false, yes/no kullanın)",
    ),
    "%(value)r is not a date (use YYYY-MM-DD)": (
        "%(value)r — не дата (используйте YYYY-MM-DD)",
        "%(value)r күн емес (YYYY-MM-DD пайдаланыңыз)",
        "%(value)r bir tarih değil (YYYY-MM-DD kullanın)",
    ),
    "%(value)r is not a date-time (use YYYY-MM-DDTHH:MM:SS±HH:MM)": (
        "%(value)r — не дата-время (используйте YYYY-MM-DDTHH:MM:SS±HH:MM)",
        "%(value)r күн-уақыт емес (YYYY-MM-DDTHH:MM:SS±HH:MM пайдаланыңыз)",
        "%(value)r bir tarih-saat değil (YYYY-MM-DDTHH:MM:SS±HH:MM kullanın)",
    ),
    "is longer than %(max_length)s characters": (
        "длиннее %(max_length)s символов",
        "%(max_length)s таңбадан ұзын",
        "%(max_length)s karakterden uzun",
    ),
    "the gzip file is truncated or damaged (%(value)s); compress it again and upload the whole file": (
        "файл gzip обрезан или повреждён (%(value)s); сожмите его заново и загрузите файл целиком",
        "gzip файлы қысқартылған немесе бүлінген (%(value)s); оны қайта сығып, файлды толығымен жүктеңіз",
        "gzip dosyası kesik veya hasarlı (%(value)s); yeniden sıkıştırın ve dosyanın tamamını yükleyin",
    ),
    "the file unpacks to more than %(mb)s (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); split it into smaller files": (
        "файл распаковывается более чем в %(mb)s (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); разбейте его на файлы поменьше",
        "файл ашылғанда %(mb)s-тан асады (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); оны кішірек файлдарға бөліңіз",
        "dosya açıldığında %(mb)s boyutunu aşıyor (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); daha küçük dosyalara bölün",
    ),
    "missing required column(s) %(missing)s for a %(kind)s file; the header has %(value)s.%(hint)s Download the template to see the expected columns.": (
        "нет обязательных столбцов %(missing)s для файла типа %(kind)s; в заголовке есть %(value)s.%(hint)s Скачайте шаблон, чтобы увидеть ожидаемые столбцы.",
        "%(kind)s файлы үшін міндетті бағандар жоқ: %(missing)s; тақырыпта %(value)s бар.%(hint)s Күтілетін бағандарды көру үшін үлгіні жүктеп алыңыз.",
        "%(kind)s dosyası için gerekli sütunlar eksik: %(missing)s; başlıkta %(value)s var.%(hint)s Beklenen sütunları görmek için şablonu indirin.",
    ),
    "a sales file needs a quantity (or units) column, or demand-driver columns (is_open, is_holiday, promotion, planned_price)": (
        "в файле продаж нужен столбец quantity (или units) либо столбцы факторов спроса (is_open, is_holiday, promotion, planned_price)",
        "сатылым файлына quantity (немесе units) бағаны не сұраныс факторларының бағандары (is_open, is_holiday, promotion, planned_price) қажет",
        "bir satış dosyası quantity (veya units) sütunu ya da talep etkeni sütunları (is_open, is_holiday, promotion, planned_price) gerektirir",
    ),
    "the header repeats column(s) %(duplicates)s": (
        "в заголовке повторяются столбцы %(duplicates)s",
        "тақырыпта бағандар қайталанады: %(duplicates)s",
        "başlıkta sütunlar yineleniyor: %(duplicates)s",
    ),
    "the file is named .xlsx but is not an Excel workbook": (
        "файл называется .xlsx, но не является книгой Excel",
        "файл .xlsx деп аталған, бірақ Excel кітабы емес",
        "dosyanın adı .xlsx ancak bir Excel çalışma kitabı değil",
    ),
    "the header has %(count)s columns, more than the %(columns)s allowed (SALES_IMPORT_MAX_COLUMNS)": (
        "в заголовке столбцов: %(count)s, больше допустимых %(columns)s (SALES_IMPORT_MAX_COLUMNS)",
        "тақырыпта %(count)s баған бар, рұқсат етілген %(columns)s-тан көп (SALES_IMPORT_MAX_COLUMNS)",
        "başlıkta %(count)s sütun var, izin verilen %(columns)s sütundan fazla (SALES_IMPORT_MAX_COLUMNS)",
    ),
    "the file has more than %(rows)s rows (SALES_IMPORT_MAX_ROWS); split it into smaller files": (
        "в файле больше %(rows)s строк (SALES_IMPORT_MAX_ROWS); разбейте его на файлы поменьше",
        "файлда %(rows)s жолдан көп (SALES_IMPORT_MAX_ROWS); оны кішірек файлдарға бөліңіз",
        "dosyada %(rows)s satırdan fazla var (SALES_IMPORT_MAX_ROWS); daha küçük dosyalara bölün",
    ),
    "row %(number)s has %(count)s values, more than the %(columns)s columns allowed (SALES_IMPORT_MAX_COLUMNS)": (
        "в строке %(number)s значений: %(count)s, больше допустимых %(columns)s столбцов (SALES_IMPORT_MAX_COLUMNS)",
        "%(number)s-жолда %(count)s мән бар, рұқсат етілген %(columns)s бағаннан көп (SALES_IMPORT_MAX_COLUMNS)",
        "%(number)s. satırda %(count)s değer var, izin verilen %(columns)s sütundan fazla (SALES_IMPORT_MAX_COLUMNS)",
    ),
    "after row %(number)s: byte 0x%(bad)s is not %(encoding)s text; the file mixes encodings — save it again as UTF-8 (CSV UTF-8 in Excel)": (
        "после строки %(number)s: байт 0x%(bad)s — не текст в %(encoding)s; в файле смешаны кодировки — сохраните его заново как UTF-8 (CSV UTF-8 в Excel)",
        "%(number)s-жолдан кейін: 0x%(bad)s байты %(encoding)s мәтіні емес; файлда кодтаулар араласқан — оны UTF-8 ретінде қайта сақтаңыз (Excel-де CSV UTF-8)",
        "%(number)s. satırdan sonra: 0x%(bad)s baytı %(encoding)s metni değil; dosyada kodlamalar karışık — UTF-8 olarak yeniden kaydedin (Excel'de CSV UTF-8)",
    ),
    "after row %(number)s: the file is truncated or damaged (%(name)s); upload the whole file again": (
        "после строки %(number)s: файл обрезан или повреждён (%(name)s); загрузите файл целиком снова",
        "%(number)s-жолдан кейін: файл қысқартылған немесе бүлінген (%(name)s); файлды толығымен қайта жүктеңіз",
        "%(number)s. satırdan sonra: dosya kesik veya hasarlı (%(name)s); dosyanın tamamını yeniden yükleyin",
    ),
    "line %(line)s: byte 0x%(sample)s is neither UTF-8 nor Windows-1251 text; save the file as UTF-8 (CSV UTF-8 in Excel)": (
        "строка %(line)s: байт 0x%(sample)s — не текст ни в UTF-8, ни в Windows-1251; сохраните файл как UTF-8 (CSV UTF-8 в Excel)",
        "%(line)s-жол: 0x%(sample)s байты UTF-8 те, Windows-1251 де мәтіні емес; файлды UTF-8 ретінде сақтаңыз (Excel-де CSV UTF-8)",
        "satır %(line)s: 0x%(sample)s baytı ne UTF-8 ne de Windows-1251 metni; dosyayı UTF-8 olarak kaydedin (Excel'de CSV UTF-8)",
    ),
    "the file is neither UTF-8 nor Windows-1251 text, nor an XLSX workbook": (
        "файл — не текст в UTF-8 или Windows-1251 и не книга XLSX",
        "файл UTF-8 не Windows-1251 мәтіні емес, XLSX кітабы да емес",
        "dosya ne UTF-8 ne Windows-1251 metni ne de bir XLSX çalışma kitabı",
    ),
    "line %(line)s: byte 0x%(byte)s is not %(name)s text; the file mixes encodings — save it again as UTF-8 (CSV UTF-8 in Excel)": (
        "строка %(line)s: байт 0x%(byte)s — не текст в %(name)s; в файле смешаны кодировки — сохраните его заново как UTF-8 (CSV UTF-8 в Excel)",
        "%(line)s-жол: 0x%(byte)s байты %(name)s мәтіні емес; файлда кодтаулар араласқан — оны UTF-8 ретінде қайта сақтаңыз (Excel-де CSV UTF-8)",
        "satır %(line)s: 0x%(byte)s baytı %(name)s metni değil; dosyada kodlamalar karışık — UTF-8 olarak yeniden kaydedin (Excel'de CSV UTF-8)",
    ),
    "the gzip file is truncated or damaged (%(name)s); compress it again and upload the whole file": (
        "файл gzip обрезан или повреждён (%(name)s); сожмите его заново и загрузите файл целиком",
        "gzip файлы қысқартылған немесе бүлінген (%(name)s); оны қайта сығып, файлды толығымен жүктеңіз",
        "gzip dosyası kesik veya hasarlı (%(name)s); yeniden sıkıştırın ve dosyanın tamamını yükleyin",
    ),
    "the file is binary, not CSV or XLSX": (
        "файл двоичный, а не CSV или XLSX",
        "файл екілік, CSV немесе XLSX емес",
        "dosya ikili, CSV veya XLSX değil",
    ),
    "the file is empty": (
        "файл пуст",
        "файл бос",
        "dosya boş",
    ),
    "the header line cannot be read as CSV: %(exc)s": (
        "строку заголовка нельзя прочитать как CSV: %(exc)s",
        "тақырып жолын CSV ретінде оқу мүмкін емес: %(exc)s",
        "başlık satırı CSV olarak okunamıyor: %(exc)s",
    ),
    "line %(line)s: %(error)s": (
        "строка %(line)s: %(error)s",
        "%(line)s-жол: %(error)s",
        "satır %(line)s: %(error)s",
    ),
    "the file starts like an XLSX workbook but is not a valid one (%(exc)s); save it again from Excel, or upload it as CSV": (
        "файл начинается как книга XLSX, но повреждён (%(exc)s); сохраните его заново из Excel или загрузите как CSV",
        "файл XLSX кітабы сияқты басталады, бірақ жарамсыз (%(exc)s); оны Excel-ден қайта сақтаңыз немесе CSV ретінде жүктеңіз",
        "dosya bir XLSX çalışma kitabı gibi başlıyor ancak geçerli değil (%(exc)s); Excel'den yeniden kaydedin veya CSV olarak yükleyin",
    ),
    "the workbook unpacks to %(mb)s, more than %(mb2)s (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); save the data as CSV or split it": (
        "книга распаковывается в %(mb)s, больше %(mb2)s (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); сохраните данные как CSV или разбейте их",
        "кітап ашылғанда %(mb)s болады, бұл %(mb2)s-тан көп (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); деректерді CSV ретінде сақтаңыз немесе бөліңіз",
        "çalışma kitabı açıldığında %(mb)s oluyor, %(mb2)s sınırından fazla (SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); verileri CSV olarak kaydedin veya bölün",
    ),
    "the workbook cannot be read: %(exc)s": (
        "книгу нельзя прочитать: %(exc)s",
        "кітапты оқу мүмкін емес: %(exc)s",
        "çalışma kitabı okunamıyor: %(exc)s",
    ),
    "the first sheet is empty": (
        "первый лист пуст",
        "бірінші парақ бос",
        "ilk sayfa boş",
    ),
    "Send a code, or kind and id of the object to label.": (
        "Отправьте код либо вид и id объекта для этикетки.",
        "Кодты немесе затбелгі басылатын нысанның түрі мен id-ін жіберіңіз.",
        "Bir kod veya etiketlenecek nesnenin türünü ve kimliğini gönderin.",
    ),
    "Unknown object kind %(name)r; use one of %(value)s.": (
        "Неизвестный вид объекта %(name)r; используйте один из %(value)s.",
        "Белгісіз нысан түрі %(name)r; %(value)s ішінен бірін пайдаланыңыз.",
        "Bilinmeyen nesne türü %(name)r; %(value)s içinden birini kullanın.",
    ),
    "Send the scanned code.": (
        "Отправьте отсканированный код.",
        "Сканерленген кодты жіберіңіз.",
        "Taranan kodu gönderin.",
    ),
    "A code has at most %(MAX_CODE_LENGTH)s characters.": (
        "Код содержит не более %(MAX_CODE_LENGTH)s символов.",
        "Кодта ең көбі %(MAX_CODE_LENGTH)s таңба болады.",
        "Bir kod en fazla %(MAX_CODE_LENGTH)s karakterdir.",
    ),
    "No %(kind)s has the code %(code)r.": (
        "Ни у одного объекта «%(kind)s» нет кода %(code)r.",
        "Ешбір «%(kind)s» нысанында %(code)r коды жоқ.",
        "Hiçbir %(kind)s %(code)r koduna sahip değil.",
    ),
    "Check the label, or print a new one from the object's page.": (
        "Проверьте этикетку или распечатайте новую со страницы объекта.",
        "Затбелгіні тексеріңіз немесе нысан бетінен жаңасын басып шығарыңыз.",
        "Etiketi kontrol edin veya nesnenin sayfasından yenisini yazdırın.",
    ),
    "Unknown code %(code)r: it names no %(value)s.": (
        "Неизвестный код %(code)r: он не обозначает ни один из %(value)s.",
        "Белгісіз код %(code)r: ол ешбір %(value)s нысанын білдірмейді.",
        "Bilinmeyen kod %(code)r: hiçbir %(value)s belirtmiyor.",
    ),
    "Codes start with %(value)s or are a product barcode.": (
        "Коды начинаются с %(value)s или являются штрихкодом товара.",
        "Кодтар %(value)s-тан басталады немесе тауар штрихкоды болып табылады.",
        "Kodlar %(value)s ile başlar veya bir ürün barkodudur.",
    ),
    "No %(kind)s with id %(object_id)s.": (
        "Нет объекта «%(kind)s» с id %(object_id)s.",
        "id %(object_id)s «%(kind)s» жоқ.",
        "%(object_id)s kimlikli %(kind)s yok.",
    ),
    "Several locations have the code %(value)r; print their labels again (they name the id).": (
        "Код %(value)r есть у нескольких точек; распечатайте их этикетки заново (в них указан id).",
        "%(value)r коды бірнеше нүктеде бар; олардың затбелгілерін қайта басып шығарыңыз (оларда id көрсетіледі).",
        "Birden çok lokasyon %(value)r koduna sahip; etiketlerini yeniden yazdırın (kimliği içerirler).",
    ),
    "Quantity must be greater than 0; got %(quantity)s.": (
        "Количество должно быть больше 0; получено %(quantity)s.",
        "Саны 0-ден үлкен болуы керек; алынғаны %(quantity)s.",
        "Miktar 0'dan büyük olmalı; gelen değer %(quantity)s.",
    ),
    "Name exactly one of machine (in-house) and subcontractor.": (
        "Укажите ровно одно: machine (своё производство) или subcontractor.",
        "machine (өз өндірісі) немесе subcontractor екеуінің дәл біреуін көрсетіңіз.",
        "machine (şirket içi) ve subcontractor'dan tam olarak birini belirtin.",
    ),
    "Send machine for an in-house job, or subcontractor for one sent out.": (
        "Отправьте machine для работы у себя или subcontractor для работы на стороне.",
        "Өз өндірісіндегі жұмыс үшін machine, сыртқа жіберілген жұмыс үшін subcontractor жіберіңіз.",
        "Şirket içi bir iş için machine, dışarı gönderilen bir iş için subcontractor gönderin.",
    ),
    "Production task %(production_task_id)s does not exist.": (
        "Производственное задание %(production_task_id)s не существует.",
        "%(production_task_id)s өндірістік тапсырмасы жоқ.",
        "%(production_task_id)s üretim görevi yok.",
    ),
    "Production task %(task_id)s is %(status)s; embroidery can only be planned for an open task.": (
        "Производственное задание %(task_id)s в статусе %(status)s; вышивку можно планировать только для открытого задания.",
        "%(task_id)s өндірістік тапсырмасы %(status)s күйінде; кестені тек ашық тапсырма үшін жоспарлауға болады.",
        "%(task_id)s üretim görevi %(status)s durumunda; nakış yalnızca açık bir görev için planlanabilir.",
    ),
    "The embroidery location must differ from the production task's location (the parts travel between them).": (
        "Точка вышивки должна отличаться от точки производственного задания (детали перемещаются между ними).",
        "Кесте нүктесі өндірістік тапсырманың нүктесінен өзгеше болуы керек (бөлшектер олардың арасында тасымалданады).",
        "Nakış lokasyonu üretim görevinin lokasyonundan farklı olmalı (parçalar aralarında taşınır).",
    ),
    "Design %(design_id)s does not exist.": (
        "Дизайн %(design_id)s не существует.",
        "%(design_id)s дизайны жоқ.",
        "%(design_id)s tasarımı yok.",
    ),
    "Design %(code)s is inactive; activate it or choose another.": (
        "Дизайн %(code)s неактивен; активируйте его или выберите другой.",
        "%(code)s дизайны белсенді емес; оны белсендіріңіз немесе басқасын таңдаңыз.",
        "%(code)s tasarımı etkin değil; etkinleştirin veya başka birini seçin.",
    ),
    "Embroidery job %(job_id)s does not exist.": (
        "Работа по вышивке %(job_id)s не существует.",
        "%(job_id)s кесте жұмысы жоқ.",
        "%(job_id)s nakış işi yok.",
    ),
    "Embroidery job %(job_id)s is %(status)s; it cannot be %(verb)s (allowed when: %(allowed)s).": (
        "Работа по вышивке %(job_id)s в статусе %(status)s; действие «%(verb)s» невозможно (допустимо в статусах: %(allowed)s).",
        "%(job_id)s кесте жұмысы %(status)s күйінде; «%(verb)s» әрекеті мүмкін емес (рұқсат етілген күйлер: %(allowed)s).",
        "%(job_id)s nakış işi %(status)s durumunda; '%(verb)s' olamaz (izin verilen durumlar: %(allowed)s).",
    ),
    "Embroidery job %(job_id)s is %(status)s; only a planned job can be edited.": (
        "Работа по вышивке %(job_id)s в статусе %(status)s; изменить можно только запланированную.",
        "%(job_id)s кесте жұмысы %(status)s күйінде; тек жоспарланған жұмысты өзгертуге болады.",
        "%(job_id)s nakış işi %(status)s durumunda; yalnızca planlanmış bir iş düzenlenebilir.",
    ),
    "%(name)s cannot be edited.": (
        "%(name)s нельзя изменить.",
        "%(name)s өзгертуге болмайды.",
        "%(name)s düzenlenemez.",
    ),
    "Embroidery job %(job_id)s is %(status)s; only a planned job can be deleted (cancel it instead).": (
        "Работа по вышивке %(job_id)s в статусе %(status)s; удалить можно только запланированную (вместо этого отмените её).",
        "%(job_id)s кесте жұмысы %(status)s күйінде; тек жоспарланған жұмысты жоюға болады (оның орнына одан бас тартыңыз).",
        "%(job_id)s nakış işi %(status)s durumunda; yalnızca planlanmış bir iş silinebilir (bunun yerine iptal edin).",
    ),
    "Production task %(production_task_id)s is %(task_status)s; parts go to embroidery only for an %(STARTABLE_TASK_STATUSES)s task.": (
        "Производственное задание %(production_task_id)s в статусе %(task_status)s; детали отправляются на вышивку только для задания в статусе %(STARTABLE_TASK_STATUSES)s.",
        "%(production_task_id)s өндірістік тапсырмасы %(task_status)s күйінде; бөлшектер кестеге тек %(STARTABLE_TASK_STATUSES)s күйіндегі тапсырма үшін жіберіледі.",
        "%(production_task_id)s üretim görevi %(task_status)s durumunda; parçalar yalnızca %(STARTABLE_TASK_STATUSES)s durumundaki bir görev için nakışa gider.",
    ),
    "Output and scrap cannot be negative.": (
        "Выпуск и брак не могут быть отрицательными.",
        "Өнім мен ақау теріс бола алмайды.",
        "Çıktı ve hurda negatif olamaz.",
    ),
    "Output %(output_quantity)s + scrap %(scrap_quantity)s must equal the %(quantity)s pieces sent out on embroidery job %(job_id)s.": (
        "Выпуск %(output_quantity)s + брак %(scrap_quantity)s должны равняться %(quantity)s шт., отправленным по работе по вышивке %(job_id)s.",
        "Өнім %(output_quantity)s + ақау %(scrap_quantity)s %(job_id)s кесте жұмысы бойынша жіберілген %(quantity)s данаға тең болуы керек.",
        "Çıktı %(output_quantity)s + hurda %(scrap_quantity)s, %(job_id)s nakış işiyle gönderilen %(quantity)s parçaya eşit olmalı.",
    ),
    "Design %(code)s is used by %(jobs)s job(s) and %(steps)s BOM step(s); deactivate it instead (is_active = false).": (
        "Дизайн %(code)s используется в работах (%(jobs)s) и шагах спецификаций (%(steps)s); вместо удаления деактивируйте его (is_active = false).",
        "%(code)s дизайны %(jobs)s жұмыста және %(steps)s спецификация қадамында қолданылады; оның орнына оны өшіріңіз (is_active = false).",
        "%(code)s tasarımı %(jobs)s iş ve %(steps)s ürün ağacı adımında kullanılıyor; bunun yerine pasifleştirin (is_active = false).",
    ),
    "PATCH is_active=false keeps its history.": (
        "PATCH is_active=false сохраняет его историю.",
        "PATCH is_active=false оның тарихын сақтайды.",
        "PATCH is_active=false geçmişini korur.",
    ),
    "Code 128 cannot encode %(code)r (%(exc)s); print a QR label instead.": (
        "Code 128 не может закодировать %(code)r (%(exc)s); распечатайте QR-этикетку.",
        "Code 128 %(code)r кодтай алмайды (%(exc)s); оның орнына QR затбелгісін басып шығарыңыз.",
        "Code 128 %(code)r değerini kodlayamaz (%(exc)s); bunun yerine bir QR etiketi yazdırın.",
    ),
    "Code 128 encodes ASCII only; %(code)r is not. Print a QR label instead.": (
        "Code 128 кодирует только ASCII, а %(code)r — нет. Распечатайте QR-этикетку.",
        "Code 128 тек ASCII кодтайды; %(code)r олай емес. Оның орнына QR затбелгісін басып шығарыңыз.",
        "Code 128 yalnızca ASCII kodlar; %(code)r öyle değil. Bunun yerine bir QR etiketi yazdırın.",
    ),
    "Unknown symbology %(symbology)r; use code128 or qr.": (
        "Неизвестная символика %(symbology)r; используйте code128 или qr.",
        "Белгісіз символика %(symbology)r; code128 немесе qr пайдаланыңыз.",
        "Bilinmeyen sembolik %(symbology)r; code128 veya qr kullanın.",
    ),
    "Name at least one label.": (
        "Укажите хотя бы одну этикетку.",
        "Кемінде бір затбелгіні көрсетіңіз.",
        "En az bir etiket belirtin.",
    ),
    "At most %(MAX_SHEET_LABELS)s labels per sheet; got %(count)s.": (
        "Не более %(MAX_SHEET_LABELS)s этикеток на лист; получено %(count)s.",
        "Бір параққа ең көбі %(MAX_SHEET_LABELS)s затбелгі; алынғаны %(count)s.",
        "Sayfa başına en fazla %(MAX_SHEET_LABELS)s etiket; gelen %(count)s.",
    ),
    "Receive, move or count the stock first.": (
        "Сначала оприходуйте, переместите или пересчитайте запас.",
        "Алдымен қорды қабылдаңыз, жылжытыңыз немесе санаңыз.",
        "Önce stoğu teslim alın, taşıyın veya sayın.",
    ),
    "A %(kind)s has no scan action %(action_name)r (its actions: %(names)s).": (
        "У объекта «%(kind)s» нет действия сканирования %(action_name)r (его действия: %(names)s).",
        "«%(kind)s» нысанында %(action_name)r сканерлеу әрекеті жоқ (оның әрекеттері: %(names)s).",
        "Bir %(kind)s için %(action_name)r tarama işlemi yok (işlemleri: %(names)s).",
    ),
    "Your role may not %(action)s (%(permission)s is needed).": (
        "Вашей роли нельзя выполнять «%(action)s» (нужно право %(permission)s).",
        "Сіздің рөліңіз «%(action)s» орындай алмайды (%(permission)s қажет).",
        "Rolünüz '%(action)s' yapamaz (%(permission)s gerekir).",
    ),
    "Cannot %(action)s: %(blocked)s.": (
        "Нельзя выполнить «%(action)s»: %(blocked)s.",
        "«%(action)s» орындау мүмкін емес: %(blocked)s.",
        "'%(action)s' yapılamaz: %(blocked)s.",
    ),
    "Send %(field_name)s: %(what)s.": (
        "Отправьте %(field_name)s: %(what)s.",
        "%(field_name)s жіберіңіз: %(what)s.",
        "%(field_name)s gönderin: %(what)s.",
    ),
    "%(field_name)s must be greater than 0; got %(quantity)s.": (
        "%(field_name)s должно быть больше 0; получено %(quantity)s.",
        "%(field_name)s 0-ден үлкен болуы керек; алынғаны %(quantity)s.",
        "%(field_name)s 0'dan büyük olmalı; gelen değer %(quantity)s.",
    ),
    "Location %(pk)s does not exist.": (
        "Точка %(pk)s не существует.",
        "%(pk)s нүктесі жоқ.",
        "%(pk)s lokasyonu yok.",
    ),
    "Product %(pk)s does not exist.": (
        "Товар %(pk)s не существует.",
        "%(pk)s тауары жоқ.",
        "%(pk)s ürünü yok.",
    ),
    "Cannot receive: %(blocked)s.": (
        "Нельзя принять: %(blocked)s.",
        "Қабылдау мүмкін емес: %(blocked)s.",
        "Teslim alınamaz: %(blocked)s.",
    ),
    "Receiving %(quantity)s but only %(outstanding_quantity)s is outstanding on line %(line_id)s.": (
        "Принимается %(quantity)s, но по строке %(line_id)s ожидается только %(outstanding_quantity)s.",
        "%(quantity)s қабылданады, бірақ %(line_id)s жолы бойынша тек %(outstanding_quantity)s күтілуде.",
        "%(quantity)s teslim alınıyor ancak %(line_id)s satırında yalnızca %(outstanding_quantity)s bekleniyor.",
    ),
    "A signing secret is required for a new endpoint.": (
        "Для новой конечной точки нужен секрет подписи.",
        "Жаңа соңғы нүкте үшін қолтаңба құпиясы қажет.",
        "Yeni bir uç nokta için imzalama sırrı gerekir.",
    ),
    "Test event queued for %(count)s endpoint(s); see the deliveries.": (
        "Тестовое событие поставлено в очередь для конечных точек: %(count)s; см. доставки.",
        "Сынақ оқиғасы %(count)s соңғы нүкте үшін кезекке қойылды; жеткізулерді қараңыз.",
        "Test olayı %(count)s uç nokta için kuyruğa alındı; teslimatlara bakın.",
    ),
    "%(count)s delivery(ies) queued again.": (
        "Доставки снова поставлены в очередь: %(count)s.",
        "%(count)s жеткізу қайта кезекке қойылды.",
        "%(count)s teslimat yeniden kuyruğa alındı.",
    ),
    "Use an https:// URL for the webhook endpoint (got %(url)r).": (
        "Используйте для конечной точки вебхука URL с https:// (получено %(url)r).",
        "Вебхук соңғы нүктесі үшін https:// URL пайдаланыңыз (алынғаны %(url)r).",
        "Webhook uç noktası için https:// URL'si kullanın (gelen %(url)r).",
    ),
    "Give a list of event names (empty = every event).": (
        "Передайте список имён событий (пусто = все события).",
        "Оқиға атауларының тізімін беріңіз (бос = барлық оқиғалар).",
        "Olay adlarının bir listesini verin (boş = tüm olaylar).",
    ),
    "Unknown event(s) %(unknown)s; known: %(values)s.": (
        "Неизвестные события %(unknown)s; известные: %(values)s.",
        "Белгісіз оқиғалар %(unknown)s; белгілілері: %(values)s.",
        "Bilinmeyen olaylar %(unknown)s; bilinenler: %(values)s.",
    ),
    "The signing secret must have at least %(MIN_SECRET_LENGTH)s characters.": (
        "Секрет подписи должен содержать не менее %(MIN_SECRET_LENGTH)s символов.",
        "Қолтаңба құпиясында кемінде %(MIN_SECRET_LENGTH)s таңба болуы керек.",
        "İmzalama sırrı en az %(MIN_SECRET_LENGTH)s karakter olmalı.",
    ),
    "Empty: your home location's time zone, else the site's. For example Asia/Almaty or Europe/Istanbul.": (
        "Пусто: часовой пояс вашей основной точки, иначе часовой пояс сайта. Например, Asia/Almaty или Europe/Istanbul.",
        "Бос: негізгі нүктеңіздің уақыт белдеуі, әйтпесе сайттың белдеуі. Мысалы, Asia/Almaty немесе Europe/Istanbul.",
        "Boş: ana lokasyonunuzun saat dilimi, yoksa sitenin. Örneğin Asia/Almaty veya Europe/Istanbul.",
    ),
    "home location": (
        "основная точка",
        "негізгі нүкте",
        "ana lokasyon",
    ),
    "Where you work: its time zone is yours unless you choose one.": (
        "Где вы работаете: её часовой пояс становится вашим, если вы не выбрали другой.",
        "Сіз жұмыс істейтін жер: басқасын таңдамасаңыз, оның уақыт белдеуі сіздікі болады.",
        "Çalıştığınız yer: başka birini seçmezseniz saat dilimi sizinki olur.",
    ),
    "Policy replay on history": (
        "Воспроизведение политики на истории",
        "Саясатты тарих бойынша қайта ойнату",
        "Politikanın geçmiş üzerinde yeniden oynatılması",
    ),
    "Fill rate": (
        "Уровень выполнения спроса",
        "Сұранысты өтеу деңгейі",
        "Karşılama oranı",
    ),
    "Average stock value": (
        "Средняя стоимость запаса",
        "Қордың орташа құны",
        "Ortalama stok değeri",
    ),
    "Days short": (
        "Дней дефицита",
        "Тапшылық күндері",
        "Eksik kalınan günler",
    ),
    "What would the proposals have done on your history?": (
        "Что дали бы предложения на вашей истории?",
        "Ұсыныстар сіздің тарихыңызда не берер еді?",
        "Öneriler geçmişinizde ne sonuç verirdi?",
    ),
    "Replay the policy": (
        "Воспроизвести политику",
        "Саясатты қайта ойнату",
        "Politikayı yeniden oynat",
    ),
    "%(line_no)r is not a whole number": (
        "%(line_no)r — не целое число",
        "%(line_no)r бүтін сан емес",
        "%(line_no)r tam sayı değil",
    ),
    "%(value)r is negative": (
        "%(value)r — отрицательное",
        "%(value)r теріс",
        "%(value)r negatif",
    ),
    "%(value)r is outside %(MIN_YEAR)s–%(MAX_YEAR)s": (
        "%(value)r вне диапазона %(MIN_YEAR)s–%(MAX_YEAR)s",
        "%(value)r %(MIN_YEAR)s–%(MAX_YEAR)s аралығынан тыс",
        "%(value)r, %(MIN_YEAR)s–%(MAX_YEAR)s aralığının dışında",
    ),
    "%(value)r is too large": (
        "%(value)r слишком велико",
        "%(value)r тым үлкен",
        "%(value)r çok büyük",
    ),
    "You do not have permission to perform this action.": (
        "У вас нет прав для выполнения этого действия.",
        "Бұл әрекетті орындауға рұқсатыңыз жоқ.",
        "Bu işlemi yapmak için izniniz yok.",
    ),
    "a line needs sku, product_id or product_external_id": (
        "строке нужен sku, product_id или product_external_id",
        "жолға sku, product_id немесе product_external_id қажет",
        "bir satır sku, product_id veya product_external_id gerektirir",
    ),
    "an order needs at least one line": (
        "в заказе должна быть хотя бы одна строка",
        "тапсырыста кемінде бір жол болуы керек",
        "bir siparişin en az bir satırı olmalı",
    ),
    "batch_size must be at least 1": (
        "batch_size должен быть не меньше 1",
        "batch_size кемінде 1 болуы керек",
        "batch_size en az 1 olmalı",
    ),
    "duplicate order %(external_id)r: also on row %(seen)s": (
        "повтор заказа %(external_id)r: он есть и в строке %(seen)s",
        "%(external_id)r тапсырысы қайталанады: ол %(seen)s-жолда да бар",
        "yinelenen sipariş %(external_id)r: %(seen)s. satırda da var",
    ),
    "expected yes/no (or a share between 0 and 1), got %(value)r": (
        "ожидалось да/нет (или доля от 0 до 1), получено %(value)r",
        "иә/жоқ (немесе 0 мен 1 аралығындағы үлес) күтілді, алынғаны %(value)r",
        "evet/hayır (veya 0 ile 1 arasında bir oran) bekleniyordu, gelen değer %(value)r",
    ),
    "granularity must be one of %(GRANULARITIES)s": (
        "granularity должен быть одним из %(GRANULARITIES)s",
        "granularity мына мәндердің бірі болуы керек: %(GRANULARITIES)s",
        "granularity şunlardan biri olmalı: %(GRANULARITIES)s",
    ),
    "is longer than 100 characters": (
        "длиннее 100 символов",
        "100 таңбадан ұзын",
        "100 karakterden uzun",
    ),
    "line numbers repeat": (
        "номера строк повторяются",
        "жол нөмірлері қайталанады",
        "satır numaraları yineleniyor",
    ),
    "more than %(XLSX_MAX_ROWS)s rows do not fit in one sheet; export CSV or narrow the filters": (
        "больше %(XLSX_MAX_ROWS)s строк не помещается на один лист; выгрузите CSV или сузьте фильтры",
        "%(XLSX_MAX_ROWS)s жолдан көбі бір параққа сыймайды; CSV экспорттаңыз немесе сүзгілерді тарылтыңыз",
        "%(XLSX_MAX_ROWS)s satırdan fazlası tek bir sayfaya sığmaz; CSV dışa aktarın veya filtreleri daraltın",
    ),
    "no location has id %(location_id)r": (
        "нет точки с id %(location_id)r",
        "id %(location_id)r нүкте жоқ",
        "%(location_id)r kimlikli lokasyon yok",
    ),
    "no product has id %(product_id)r": (
        "нет товара с id %(product_id)r",
        "id %(product_id)r тауар жоқ",
        "%(product_id)r kimlikli ürün yok",
    ),
    "unknown SKU %(sku)r": (
        "неизвестный артикул %(sku)r",
        "белгісіз артикул %(sku)r",
        "bilinmeyen stok kodu %(sku)r",
    ),
    "unknown import kind %(kind)r; use one of %(values)s": (
        "неизвестный вид импорта %(kind)r; используйте один из %(values)s",
        "белгісіз импорт түрі %(kind)r; %(values)s ішінен бірін пайдаланыңыз",
        "bilinmeyen içe aktarma türü %(kind)r; %(values)s içinden birini kullanın",
    ),
    "unknown location %(external_id)r for this account": (
        "неизвестная точка %(external_id)r для этой учётной записи",
        "бұл тіркелгі үшін белгісіз нүкте %(external_id)r",
        "bu hesap için bilinmeyen lokasyon %(external_id)r",
    ),
    "unknown location code %(code)r": (
        "неизвестный код точки %(code)r",
        "белгісіз нүкте коды %(code)r",
        "bilinmeyen lokasyon kodu %(code)r",
    ),
    "unknown product %(product_external_id)r for this account: sync products first": (
        "неизвестный товар %(product_external_id)r для этой учётной записи: сначала синхронизируйте товары",
        "бұл тіркелгі үшін белгісіз тауар %(product_external_id)r: алдымен тауарларды синхрондаңыз",
        "bu hesap için bilinmeyen ürün %(product_external_id)r: önce ürünleri eşitleyin",
    ),
    "If an account uses this address, a reset link has been sent to it.": (
        "Если к этому адресу привязана учётная запись, на него отправлена ссылка для сброса.",
        "Егер бұл мекенжайды тіркелгі пайдаланса, оған қалпына келтіру сілтемесі жіберілді.",
        "Bu adresi kullanan bir hesap varsa, ona bir sıfırlama bağlantısı gönderildi.",
    ),
    "Password changed. Log in with the new password.": (
        "Пароль изменён. Войдите с новым паролем.",
        "Құпиясөз өзгертілді. Жаңа құпиясөзбен кіріңіз.",
        "Parola değiştirildi. Yeni parolayla giriş yapın.",
    ),
    "Password of %(username)r changed.": (
        "Пароль пользователя %(username)r изменён.",
        "%(username)r пайдаланушысының құпиясөзі өзгертілді.",
        "%(username)r kullanıcısının parolası değiştirildi.",
    ),
    "The import failed: %(error)s": (
        "Импорт не удался: %(error)s",
        "Импорт сәтсіз аяқталды: %(error)s",
        "İçe aktarma başarısız oldu: %(error)s",
    ),
    "The request is %(announced)s MB; files may be at most %(limit)s MB (SALES_IMPORT_MAX_UPLOAD_BYTES). Compress it (gzip) or split it into smaller files.": (
        "Запрос занимает %(announced)s МБ; файлы могут быть не больше %(limit)s МБ (SALES_IMPORT_MAX_UPLOAD_BYTES). Сожмите его (gzip) или разбейте на файлы поменьше.",
        "Сұрау көлемі %(announced)s МБ; файлдар ең көбі %(limit)s МБ бола алады (SALES_IMPORT_MAX_UPLOAD_BYTES). Оны сығыңыз (gzip) немесе кішірек файлдарға бөліңіз.",
        "İstek %(announced)s MB; dosyalar en fazla %(limit)s MB olabilir (SALES_IMPORT_MAX_UPLOAD_BYTES). Sıkıştırın (gzip) veya daha küçük dosyalara bölün.",
    ),
    '{account}: {stream} sync <a href="{url}">run #{run}</a> already {status}.': (
        '{account}: синхронизация {stream}, <a href="{url}">запуск #{run}</a> уже в статусе {status}.',
        '{account}: {stream} синхрондауы, <a href="{url}">#{run} іске қосу</a> әлдеқашан {status} күйінде.',
        '{account}: {stream} eşitlemesi, <a href="{url}">#{run} çalıştırması</a> zaten {status} durumunda.',
    ),
    '{account}: {stream} sync <a href="{url}">run #{run}</a> queued.': (
        '{account}: синхронизация {stream}, <a href="{url}">запуск #{run}</a> поставлен в очередь.',
        '{account}: {stream} синхрондауы, <a href="{url}">#{run} іске қосу</a> кезекке қойылды.',
        '{account}: {stream} eşitlemesi, <a href="{url}">#{run} çalıştırması</a> kuyruğa alındı.',
    ),
    "{input!r} is not a known metric. Valid metrics: %(metrics)s.": (
        "{input!r} — неизвестная метрика. Допустимые метрики: %(metrics)s.",
        "{input!r} — белгісіз метрика. Жарамды метрикалар: %(metrics)s.",
        "{input!r} bilinen bir metrik değil. Geçerli metrikler: %(metrics)s.",
    ),
}

# msgid_plural entries: msgid -> forms per language (ru: 4 forms as its catalogue header says, kk: 2, tr: 2)
MESSAGE_PLURALS = {
    "%(n)s series": (
        ("%(n)s ряд", "%(n)s ряда", "%(n)s рядов", "%(n)s ряда"),
        ("%(n)s қатар", "%(n)s қатар"),
        ("%(n)s seri", "%(n)s seri"),
    ),
    "%(failed)d of %(total)d scope failed: %(names)s": (
        (
            "ошибка в %(failed)d из %(total)d области: %(names)s",
            "ошибка в %(failed)d из %(total)d областей: %(names)s",
            "ошибка в %(failed)d из %(total)d областей: %(names)s",
            "ошибка в %(failed)d из %(total)d области: %(names)s",
        ),
        (
            "%(total)d аяның %(failed)d аясы сәтсіз аяқталды: %(names)s",
            "%(total)d аяның %(failed)d аясы сәтсіз аяқталды: %(names)s",
        ),
        (
            "%(total)d kapsamdan %(failed)d tanesi başarısız oldu: %(names)s",
            "%(total)d kapsamdan %(failed)d tanesi başarısız oldu: %(names)s",
        ),
    ),
    "%(done)d of %(total)d scope done, %(failed)d failed": (
        (
            "готово %(done)d из %(total)d области, с ошибкой %(failed)d",
            "готово %(done)d из %(total)d областей, с ошибкой %(failed)d",
            "готово %(done)d из %(total)d областей, с ошибкой %(failed)d",
            "готово %(done)d из %(total)d области, с ошибкой %(failed)d",
        ),
        (
            "%(total)d аяның %(done)d аясы дайын, %(failed)d сәтсіз",
            "%(total)d аяның %(done)d аясы дайын, %(failed)d сәтсіз",
        ),
        (
            "%(total)d kapsamdan %(done)d tanesi tamamlandı, %(failed)d başarısız",
            "%(total)d kapsamdan %(done)d tanesi tamamlandı, %(failed)d başarısız",
        ),
    ),
    "scope %(name)r has %(count)s run; deactivate it instead of deleting (its runs stay on record)": (
        (
            "у области %(name)r %(count)s запуск; отключите её вместо удаления (её запуски остаются в истории)",
            "у области %(name)r %(count)s запуска; отключите её вместо удаления (её запуски остаются в истории)",
            "у области %(name)r %(count)s запусков; отключите её вместо удаления (её запуски остаются в истории)",
            "у области %(name)r %(count)s запуска; отключите её вместо удаления (её запуски остаются в истории)",
        ),
        (
            "%(name)r аясында %(count)s іске қосу бар; оны жоюдың орнына өшіріңіз (іске қосулары тарихта қалады)",
            "%(name)r аясында %(count)s іске қосу бар; оны жоюдың орнына өшіріңіз (іске қосулары тарихта қалады)",
        ),
        (
            "%(name)r kapsamının %(count)s çalıştırması var; silmek yerine devre dışı bırakın (çalıştırmaları kayıtta kalır)",
            "%(name)r kapsamının %(count)s çalıştırması var; silmek yerine devre dışı bırakın (çalıştırmaları kayıtta kalır)",
        ),
    ),
    "Please correct the error below.": (
        (
            "Пожалуйста, исправьте ошибку ниже.",
            "Пожалуйста, исправьте ошибки ниже.",
            "Пожалуйста, исправьте ошибки ниже.",
            "Пожалуйста, исправьте ошибки ниже.",
        ),
        ("Төмендегі қатені түзетіңіз.", "Төмендегі қателерді түзетіңіз."),
        ("Lütfen aşağıdaki hatayı düzeltin.", "Lütfen aşağıdaki hataları düzeltin."),
    ),
    "Too many failed logins for this username from your address. Try again in %(minutes)s minute, or reset your password with the link sent by POST /api/v1/auth/password-reset/.": (
        (
            "Слишком много неудачных входов под этим именем с вашего адреса. Повторите через %(minutes)s минуту или сбросьте пароль по ссылке, отправленной через POST /api/v1/auth/password-reset/.",
            "Слишком много неудачных входов под этим именем с вашего адреса. Повторите через %(minutes)s минуты или сбросьте пароль по ссылке, отправленной через POST /api/v1/auth/password-reset/.",
            "Слишком много неудачных входов под этим именем с вашего адреса. Повторите через %(minutes)s минут или сбросьте пароль по ссылке, отправленной через POST /api/v1/auth/password-reset/.",
            "Слишком много неудачных входов под этим именем с вашего адреса. Повторите через %(minutes)s минуты или сбросьте пароль по ссылке, отправленной через POST /api/v1/auth/password-reset/.",
        ),
        (
            "Сіздің мекенжайыңыздан бұл пайдаланушы атымен сәтсіз кірулер тым көп. %(minutes)s минуттан кейін қайталаңыз немесе POST /api/v1/auth/password-reset/ арқылы жіберілген сілтемемен құпиясөзді қалпына келтіріңіз.",
            "Сіздің мекенжайыңыздан бұл пайдаланушы атымен сәтсіз кірулер тым көп. %(minutes)s минуттан кейін қайталаңыз немесе POST /api/v1/auth/password-reset/ арқылы жіберілген сілтемемен құпиясөзді қалпына келтіріңіз.",
        ),
        (
            "Adresinizden bu kullanıcı adıyla çok fazla başarısız giriş yapıldı. %(minutes)s dakika sonra yeniden deneyin veya POST /api/v1/auth/password-reset/ ile gönderilen bağlantıyla parolanızı sıfırlayın.",
            "Adresinizden bu kullanıcı adıyla çok fazla başarısız giriş yapıldı. %(minutes)s dakika sonra yeniden deneyin veya POST /api/v1/auth/password-reset/ ile gönderilen bağlantıyla parolanızı sıfırlayın.",
        ),
    ),
}
