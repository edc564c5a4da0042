# ruff: noqa: E501 - one translation per line reads better than wrapped strings
"""Translations of the strings this product adds (workbench screens, import preview), applied to the .po files by
`python locale/translations.py` after `manage.py makemessages`; then `manage.py compilemessages`.

Kept as data so a translator can review one table per language; an msgid missing here stays untranslated (shown
in English) and is listed by the script.
"""

# msgid: (ru, kk, tr)
T = {
    "Home": ("Начало", "Басты бет", "Ana sayfa"),
    "The file was not imported": ("Файл не импортирован", "Файл импортталмады", "Dosya içe aktarılmadı"),
    "%(count)s problem(s) in %(rows)s row(s). Nothing was written: fix the rows below and upload the file again.": (
        "Проблем: %(count)s в строках: %(rows)s. Ничего не записано: исправьте строки ниже и загрузите файл снова.",
        "%(rows)s жолда %(count)s мәселе. Ештеңе жазылмады: төмендегі жолдарды түзетіп, файлды қайта жүктеңіз.",
        "%(rows)s satırda %(count)s sorun. Hiçbir şey yazılmadı: aşağıdaki satırları düzeltip dosyayı yeniden yükleyin.",
    ),
    "Row": ("Строка", "Жол", "Satır"),
    "Column": ("Столбец", "Баған", "Sütun"),
    "Problem": ("Проблема", "Мәселе", "Sorun"),
    "Preview": ("Предпросмотр", "Алдын ала қарау", "Önizleme"),
    "%(rows)s row(s) read: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, %(skipped)s without a sale (drivers only or empty).": (
        "Прочитано строк: %(rows)s; новых %(created)s, изменено %(updated)s, без изменений %(unchanged)s, без продаж %(skipped)s (только факторы или пусто).",
        "Оқылған жолдар: %(rows)s; жаңа %(created)s, өзгерген %(updated)s, өзгеріссіз %(unchanged)s, сатылымсыз %(skipped)s (тек факторлар немесе бос).",
        "Okunan satır: %(rows)s; yeni %(created)s, değişen %(updated)s, değişmeyen %(unchanged)s, satışsız %(skipped)s (yalnızca etkenler veya boş).",
    ),
    "Demand drivers: %(created)s new, %(updated)s changed.": (
        "Факторы спроса: новых %(created)s, изменено %(updated)s.",
        "Сұраныс факторлары: жаңа %(created)s, өзгерген %(updated)s.",
        "Talep etkenleri: yeni %(created)s, değişen %(updated)s.",
    ),
    "Draft": ("Черновик", "Жоба", "Taslak"),
    "Approved": ("Утверждено", "Бекітілген", "Onaylandı"),
    "In progress": ("В работе", "Орындалуда", "Devam ediyor"),
    "Completed": ("Выполнено", "Аяқталған", "Tamamlandı"),
    "Cancelled": ("Отменено", "Бас тартылған", "İptal edildi"),
    "Buy": ("Закупка", "Сатып алу", "Satın alma"),
    "Make": ("Производство", "Өндіру", "Üretim"),
    "Proposed": ("Предложено", "Ұсынылған", "Önerildi"),
    "Rejected": ("Отклонено", "Қабылданбаған", "Reddedildi"),
    "Data syncs": ("Синхронизация данных", "Деректерді синхрондау", "Veri eşitlemeleri"),
    "Sales and stock data": ("Данные продаж и остатков", "Сатылым және қор деректері", "Satış ve stok verileri"),
    "Forecasting": ("Прогнозирование", "Болжау", "Tahminleme"),
    "Planning": ("Планирование", "Жоспарлау", "Planlama"),
    "Integration accounts": ("Учётные записи интеграций", "Интеграция тіркелгілері", "Entegrasyon hesapları"),
    "Enabled integration accounts": ("Включённые учётные записи", "Қосулы тіркелгілер", "Etkin entegrasyon hesapları"),
    "Account streams with failures since their last success": (
        "Потоки с ошибками после последнего успеха", "Соңғы сәттіліктен кейін қатесі бар ағындар",
        "Son başarıdan beri hata veren akışlar"),
    "Longest failure streak of any account stream": (
        "Самая длинная серия ошибок потока", "Ағынның ең ұзақ қате тізбегі", "Bir akışın en uzun hata serisi"),
    "Sync runs queued or running": ("Синхронизации в очереди или выполняются", "Кезектегі немесе орындалып жатқан синхрондаулар",
                                    "Sırada veya çalışan eşitlemeler"),
    "Account streams that never succeeded": ("Потоки без единого успеха", "Бірде-бір рет сәтті болмаған ағындар",
                                             "Hiç başarılı olmamış akışlar"),
    "Age of the oldest last success (enabled accounts)": (
        "Давность самого старого последнего успеха", "Ең ескі соңғы сәттіліктің жасы", "En eski son başarının yaşı"),
    "Active locations with sales history": ("Активные точки с историей продаж", "Сатылым тарихы бар белсенді нүктелер",
                                            "Satış geçmişi olan aktif lokasyonlar"),
    "Locations whose sales stopped arriving": ("Точки, продажи которых перестали поступать",
                                               "Сатылымдары келмей қалған нүктелер", "Satışları gelmeyi bırakan lokasyonlar"),
    "Days since the newest sales day anywhere": ("Дней с последнего дня продаж", "Соңғы сатылым күнінен бергі күндер",
                                                 "En yeni satış gününden bu yana gün"),
    "Age of the newest stock snapshot from a source": ("Давность последнего снимка остатков", "Соңғы қор суретінің жасы",
                                                       "En yeni stok görüntüsünün yaşı"),
    "Age of the newest stock ledger movement": ("Давность последнего движения по складу", "Соңғы қойма қозғалысының жасы",
                                                "En yeni stok hareketinin yaşı"),
    "Age of the latest successful forecast run": ("Давность последнего успешного прогноза", "Соңғы сәтті болжамның жасы",
                                                  "Son başarılı tahminin yaşı"),
    "Backtest WAPE of the latest forecast run": ("WAPE бэктеста последнего прогноза", "Соңғы болжамның бэктест WAPE",
                                                 "Son tahminin geriye dönük test WAPE değeri"),
    "Forecast WAPE over the last 7 days of actuals": ("WAPE прогноза за последние 7 дней факта",
                                                      "Соңғы 7 күндегі болжам WAPE", "Son 7 günün gerçekleşenlerinde WAPE"),
    "Forecast WAPE over the last 28 days of actuals": ("WAPE прогноза за последние 28 дней факта",
                                                       "Соңғы 28 күндегі болжам WAPE", "Son 28 günün gerçekleşenlerinde WAPE"),
    "7-day WAPE ÷ backtest WAPE": ("WAPE за 7 дней ÷ WAPE бэктеста", "7 күндік WAPE ÷ бэктест WAPE",
                                   "7 günlük WAPE ÷ test WAPE"),
    "28-day WAPE ÷ backtest WAPE": ("WAPE за 28 дней ÷ WAPE бэктеста", "28 күндік WAPE ÷ бэктест WAPE",
                                    "28 günlük WAPE ÷ test WAPE"),
    "Items with a forecast in the latest run": ("Позиции с прогнозом в последнем запуске",
                                                "Соңғы іске қосуда болжамы бар позициялар", "Son çalıştırmada tahmini olan kalemler"),
    "Items at risk of stock-out within their lead time": ("Позиции под риском дефицита в пределах срока поставки",
                                                          "Жеткізу мерзімінде тапшылық қаупі бар позициялар",
                                                          "Tedarik süresi içinde stoksuz kalma riski olan kalemler"),
    "Items stocked beyond the forecast horizon": ("Позиции с запасом сверх горизонта прогноза",
                                                  "Болжам көкжиегінен артық қоры бар позициялар",
                                                  "Tahmin ufkunun ötesinde stoklu kalemler"),
    "Order proposals awaiting a decision": ("Предложения заказа, ждущие решения", "Шешім күтетін тапсырыс ұсыныстары",
                                            "Karar bekleyen sipariş önerileri"),
    "Open purchase orders past their expected date": ("Открытые заказы поставщику с истёкшим сроком",
                                                      "Мерзімі өткен ашық сатып алу тапсырыстары",
                                                      "Beklenen tarihi geçmiş açık satın alma siparişleri"),
    "Open production tasks past their due date": ("Открытые производственные задания с истёкшим сроком",
                                                  "Мерзімі өткен ашық өндірістік тапсырмалар",
                                                  "Termini geçmiş açık üretim görevleri"),
    "%(value)s is not a known time zone; use a name such as Asia/Almaty or Europe/Istanbul.": (
        "%(value)s — неизвестный часовой пояс; укажите, например, Asia/Almaty или Europe/Istanbul.",
        "%(value)s — белгісіз уақыт белдеуі; мысалы, Asia/Almaty немесе Europe/Istanbul көрсетіңіз.",
        "%(value)s bilinen bir saat dilimi değil; örneğin Asia/Almaty veya Europe/Istanbul yazın."),
    "language": ("язык", "тіл", "dil"),
    "Empty: the browser's language.": ("Пусто: язык браузера.", "Бос: браузер тілі.", "Boş: tarayıcının dili."),
    "time zone": ("часовой пояс", "уақыт белдеуі", "saat dilimi"),
    "Empty: the site's time zone. For example Asia/Almaty or Europe/Istanbul.": (
        "Пусто: часовой пояс сайта. Например, Asia/Almaty или Europe/Istanbul.",
        "Бос: сайттың уақыт белдеуі. Мысалы, Asia/Almaty немесе Europe/Istanbul.",
        "Boş: sitenin saat dilimi. Örneğin Asia/Almaty veya Europe/Istanbul."),
    "planner profile": ("профиль планировщика", "жоспарлаушы профилі", "planlamacı profili"),
    "planner profiles": ("профили планировщиков", "жоспарлаушы профильдері", "planlamacı profilleri"),
    "Workbench": ("Рабочее место", "Жұмыс орны", "Çalışma alanı"),
    "Today": ("Сегодня", "Бүгін", "Bugün"),
    "Review proposals": ("Проверка предложений", "Ұсыныстарды тексеру", "Önerileri incele"),
    "Production board": ("Доска производства", "Өндіріс тақтасы", "Üretim panosu"),
    "All tables": ("Все таблицы", "Барлық кестелер", "Tüm tablolar"),
    "My preferences": ("Мои настройки", "Менің баптауларым", "Tercihlerim"),
    "Language": ("Язык", "Тіл", "Dil"),
    "Switch": ("Сменить", "Ауыстыру", "Değiştir"),
    "Open alerts": ("Открытые оповещения", "Ашық ескертулер", "Açık uyarılar"),
    "for %(since)s": ("уже %(since)s", "%(since)s бойы", "%(since)s süredir"),
    "No open alerts.": ("Открытых оповещений нет.", "Ашық ескертулер жоқ.", "Açık uyarı yok."),
    "%(total)s accounts": ("учётных записей: %(total)s", "тіркелгілер: %(total)s", "%(total)s hesap"),
    "last success %(since)s ago": ("последний успех %(since)s назад", "соңғы сәттілік %(since)s бұрын",
                                   "son başarı %(since)s önce"),
    "never succeeded": ("ни разу не успешно", "бірде-бір рет сәтті болмаған", "hiç başarılı olmadı"),
    "Every stream synced recently.": ("Все потоки синхронизированы недавно.", "Барлық ағындар жақында синхрондалды.",
                                      "Tüm akışlar yakın zamanda eşitlendi."),
    "Latest forecast": ("Последний прогноз", "Соңғы болжам", "Son tahmin"),
    "%(age)s ago": ("%(age)s назад", "%(age)s бұрын", "%(age)s önce"),
    "Accuracy (backtest WAPE)": ("Точность (WAPE бэктеста)", "Дәлдік (бэктест WAPE)", "Doğruluk (test WAPE)"),
    "Series": ("Рядов", "Қатарлар", "Seri"),
    "Fell back to a simpler method": ("Переход на более простой метод", "Қарапайым әдіске ауысқан",
                                      "Daha basit yönteme geçilen"),
    "Forecast window": ("Период прогноза", "Болжам кезеңі", "Tahmin aralığı"),
    "No forecast has run yet.": ("Прогноз ещё не запускался.", "Болжам әлі іске қосылмаған.",
                                 "Henüz tahmin çalıştırılmadı."),
    "Forecast runs": ("Запуски прогноза", "Болжам іске қосулары", "Tahmin çalıştırmaları"),
    "Proposals awaiting review": ("Предложения на проверке", "Тексеруді күтетін ұсыныстар", "İnceleme bekleyen öneriler"),
    "value": ("сумма", "сомасы", "tutar"),
    "%(n)s with nothing to order": ("%(n)s без заказа", "тапсырыссыз %(n)s", "%(n)s sipariş gerektirmiyor"),
    "Supplier / kind": ("Поставщик / вид", "Жеткізуші / түрі", "Tedarikçi / tür"),
    "Proposals": ("Предложения", "Ұсыныстар", "Öneriler"),
    "Value": ("Сумма", "Сомасы", "Tutar"),
    "Make (production)": ("Производство", "Өндіріс", "Üretim"),
    "No supplier": ("Без поставщика", "Жеткізушісіз", "Tedarikçi yok"),
    "Nothing waits for a decision.": ("Решений не ждёт ничего.", "Шешім күтетін ештеңе жоқ.", "Karar bekleyen bir şey yok."),
    "Production tasks": ("Производственные задания", "Өндірістік тапсырмалар", "Üretim görevleri"),
    "Stock-out risks": ("Риски дефицита", "Тапшылық қаупі", "Stoksuz kalma riskleri"),
    "of %(n)s items evaluated": ("из %(n)s оценённых позиций", "бағаланған %(n)s позициядан", "değerlendirilen %(n)s kalemden"),
    "as of %(age)s ago": ("по состоянию %(age)s назад", "%(age)s бұрынғы жағдай", "%(age)s önceki duruma göre"),
    "No monitoring snapshot yet.": ("Снимков мониторинга ещё нет.", "Мониторинг суреті әлі жоқ.",
                                    "Henüz izleme görüntüsü yok."),
    "Work centre": ("Участок", "Өндірістік учаске", "İş merkezi"),
    "All": ("Все", "Барлығы", "Tümü"),
    "Due from": ("Срок с", "Мерзімі бастап", "Termin başlangıcı"),
    "Due until": ("Срок по", "Мерзімі дейін", "Termin sonu"),
    "Filter": ("Фильтр", "Сүзгі", "Filtrele"),
    "Live: changes made elsewhere appear here.": ("В реальном времени: изменения других видны сразу.",
                                                  "Нақты уақыт: басқалардың өзгерістері бірден көрінеді.",
                                                  "Canlı: başka yerde yapılan değişiklikler burada görünür."),
    "Refresh the page to see changes made elsewhere.": ("Обновите страницу, чтобы увидеть изменения других.",
                                                        "Басқалардың өзгерістерін көру үшін бетті жаңартыңыз.",
                                                        "Başka yerde yapılan değişiklikler için sayfayı yenileyin."),
    "due": ("срок", "мерзімі", "termin"),
    "Move to": ("Переместить в", "Жылжыту", "Şuraya taşı"),
    "Move": ("Переместить", "Жылжыту", "Taşı"),
    "Save": ("Сохранить", "Сақтау", "Kaydet"),
    "Times on these screens are shown in %(zone)s.": ("Время на этих экранах показано в поясе %(zone)s.",
                                                      "Бұл беттердегі уақыт %(zone)s белдеуінде көрсетіледі.",
                                                      "Bu ekranlardaki saatler %(zone)s diliminde gösterilir."),
    "Kind": ("Вид", "Түрі", "Tür"),
    "Buy and make": ("Закупка и производство", "Сатып алу және өндіру", "Satın alma ve üretim"),
    "Supplier": ("Поставщик", "Жеткізуші", "Tedarikçi"),
    "Any": ("Любой", "Кез келген", "Herhangi"),
    "Product": ("Товар", "Тауар", "Ürün"),
    "Show proposals with nothing to order": ("Показать предложения без заказа", "Тапсырыссыз ұсыныстарды көрсету",
                                             "Sipariş gerektirmeyen önerileri göster"),
    "%(shown)s of %(total)s proposals awaiting review.": ("%(shown)s из %(total)s предложений ждут проверки.",
                                                          "%(total)s ұсыныстың %(shown)s тексеруді күтуде.",
                                                          "İnceleme bekleyen %(total)s önerinin %(shown)s tanesi."),
    "%(n)s with nothing to order are hidden.": ("Скрыто без заказа: %(n)s.", "Тапсырыссыз %(n)s жасырылған.",
                                                "Sipariş gerektirmeyen %(n)s öneri gizli."),
    "Approve all": ("Утвердить все", "Барлығын бекіту", "Tümünü onayla"),
    "Location": ("Точка", "Нүкте", "Lokasyon"),
    "Quantity": ("Количество", "Саны", "Miktar"),
    "Demand": ("Спрос", "Сұраныс", "Talep"),
    "On hand": ("В наличии", "Қолда бар", "Eldeki"),
    "Order by": ("Заказать до", "Тапсырыс мерзімі", "Sipariş tarihi"),
    "arrives": ("поступит", "келеді", "varış"),
    "Why": ("Почему", "Неге", "Neden"),
    "Decision": ("Решение", "Шешім", "Karar"),
    "chart": ("график", "график", "grafik"),
    "all terms": ("все параметры", "барлық параметрлер", "tüm terimler"),
    "No supplier:": ("Нет поставщика:", "Жеткізуші жоқ:", "Tedarikçi yok:"),
    "product's default": ("по умолчанию для товара", "тауардың әдепкісі", "ürünün varsayılanı"),
    "Approve": ("Утвердить", "Бекіту", "Onayla"),
    "Why (optional)": ("Причина (необязательно)", "Себебі (міндетті емес)", "Neden (isteğe bağlı)"),
    "Reject": ("Отклонить", "Қабылдамау", "Reddet"),
    "Nothing waits for review.": ("Нечего проверять.", "Тексеретін ештеңе жоқ.", "İncelenecek bir şey yok."),
    "Recently decided": ("Недавние решения", "Соңғы шешімдер", "Son kararlar"),
    "No decisions yet.": ("Решений пока нет.", "Әзірге шешім жоқ.", "Henüz karar yok."),
    "Built %(created)s in %(seconds)s s.": ("Построен %(created)s за %(seconds)s с.",
                                           "%(created)s кезінде %(seconds)s с ішінде құрылды.",
                                           "%(created)s tarihinde %(seconds)s sn'de oluşturuldu."),
    "Technical detail": ("Технические подробности", "Техникалық мәліметтер", "Teknik ayrıntı"),
    "Alerts opened by this snapshot": ("Оповещения, открытые этим снимком", "Осы сурет ашқан ескертулер",
                                       "Bu görüntünün açtığı uyarılar"),
    "None.": ("Нет.", "Жоқ.", "Yok."),
    "Task %(id)s no longer exists.": ("Задания %(id)s больше нет.", "%(id)s тапсырмасы енді жоқ.", "Görev %(id)s artık yok."),
    "Task %(id)s is now %(status)s.": ("Задание %(id)s теперь: %(status)s.", "%(id)s тапсырмасы енді: %(status)s.",
                                       "Görev %(id)s artık: %(status)s."),
    "Preferences saved.": ("Настройки сохранены.", "Баптаулар сақталды.", "Tercihler kaydedildi."),
    "PO %(order)s, line %(line)s": ("заказ %(order)s, строка %(line)s", "тапсырыс %(order)s, жол %(line)s",
                                    "sipariş %(order)s, satır %(line)s"),
    "production task %(task)s": ("производственное задание %(task)s", "өндірістік тапсырма %(task)s",
                                 "üretim görevi %(task)s"),
    "Quantity must be a number, e.g. 12 or 12.5.": ("Количество должно быть числом, например 12 или 12.5.",
                                                    "Саны сан болуы керек, мысалы 12 немесе 12.5.",
                                                    "Miktar bir sayı olmalı, örneğin 12 veya 12.5."),
    "Proposal %(id)s no longer exists.": ("Предложения %(id)s больше нет.", "%(id)s ұсынысы енді жоқ.",
                                          "Öneri %(id)s artık yok."),
    "Proposal %(id)s approved: it became": ("Предложение %(id)s утверждено и стало:", "%(id)s ұсынысы бекітілді:",
                                            "Öneri %(id)s onaylandı, dönüştüğü kayıt:"),
    "Proposal %(id)s rejected.": ("Предложение %(id)s отклонено.", "%(id)s ұсынысы қабылданбады.",
                                  "Öneri %(id)s reddedildi."),
    "%(n)s proposals approved.": ("Утверждено предложений: %(n)s.", "Бекітілген ұсыныстар: %(n)s.",
                                  "%(n)s öneri onaylandı."),
    "Unknown action.": ("Неизвестное действие.", "Белгісіз әрекет.", "Bilinmeyen işlem."),
    "Buy from %(supplier)s": ("Закупка у %(supplier)s", "%(supplier)s жеткізушісінен сатып алу",
                              "%(supplier)s tedarikçisinden satın alma"),
    "Buy — no supplier yet": ("Закупка — поставщик не указан", "Сатып алу — жеткізуші әлі жоқ",
                              "Satın alma — henüz tedarikçi yok"),
    "Make at %(location)s": ("Производство: %(location)s", "Өндіру: %(location)s", "Üretim: %(location)s"),
    "%(h).1f h": ("%(h).1f ч", "%(h).1f сағ", "%(h).1f sa"),
    "%(m).0f min": ("%(m).0f мин", "%(m).0f мин", "%(m).0f dk"),
    "%(d)s days": ("%(d)s дн.", "%(d)s күн", "%(d)s gün"),
    "No such snapshot.": ("Такого снимка нет.", "Мұндай сурет жоқ.", "Böyle bir görüntü yok."),
    "Monitoring snapshot %(slot)s": ("Снимок мониторинга %(slot)s", "Мониторинг суреті %(slot)s",
                                     "İzleme görüntüsü %(slot)s"),
    "%(name)s is disabled; enable it first.": ("%(name)s отключена; сначала включите её.", "%(name)s өшірулі; алдымен қосыңыз.", "%(name)s devre dışı; önce etkinleştirin."),
    "%(name)s: %(n)s stream(s) queued.": ("%(name)s: потоков в очереди: %(n)s.", "%(name)s: кезекке қойылған ағындар: %(n)s.", "%(name)s: %(n)s akış sıraya alındı."),
    "Account": ("Учётная запись", "Тіркелгі", "Hesap"),
    "Accounts and syncs": ("Учётные записи и синхронизация", "Тіркелгілер және синхрондау", "Hesaplar ve eşitlemeler"),
    "Add one": ("Добавить", "Қосу", "Ekle"),
    "BOM and where used": ("Спецификация и применяемость", "Спецификация және қолданылуы", "Ürün ağacı ve kullanıldığı yerler"),
    "Bill of materials": ("Спецификация", "Материалдар спецификациясы", "Ürün ağacı"),
    "Details": ("Подробности", "Толығырақ", "Ayrıntılar"),
    "Duration": ("Длительность", "Ұзақтығы", "Süre"),
    "Edit product": ("Изменить товар", "Тауарды өзгерту", "Ürünü düzenle"),
    "Finished": ("Завершено", "Аяқталды", "Bitiş"),
    "Follow their progress": ("Следить за ходом", "Барысын бақылау", "İlerlemeyi izle"),
    "Forecast": ("Прогноз", "Болжам", "Tahmin"),
    "Forecast and actuals": ("Прогноз и факт", "Болжам және нақты", "Tahmin ve gerçekleşen"),
    "Forecast chart with actuals": ("График прогноза с фактом", "Нақты мәндері бар болжам графигі", "Gerçekleşenlerle tahmin grafiği"),
    "Forecast with a simpler method: %(fallback)s": ("Прогноз более простым методом: %(fallback)s", "Қарапайым әдіспен болжам: %(fallback)s", "Daha basit yöntemle tahmin: %(fallback)s"),
    "In transit": ("В пути", "Жолда", "Yolda"),
    "Last movement": ("Последнее движение", "Соңғы қозғалыс", "Son hareket"),
    "Ledger": ("Движения", "Қозғалыстар", "Hareketler"),
    "No accounts yet.": ("Учётных записей пока нет.", "Әзірге тіркелгілер жоқ.", "Henüz hesap yok."),
    "No default BOM.": ("Нет спецификации по умолчанию.", "Әдепкі спецификация жоқ.", "Varsayılan ürün ağacı yok."),
    "No forecast for this product in the latest run.": ("В последнем запуске нет прогноза для этого товара.", "Соңғы іске қосуда бұл тауарға болжам жоқ.", "Son çalıştırmada bu ürün için tahmin yok."),
    "No movements.": ("Движений нет.", "Қозғалыс жоқ.", "Hareket yok."),
    "No stock recorded.": ("Остатки не записаны.", "Қор жазылмаған.", "Kayıtlı stok yok."),
    "No such account.": ("Такой учётной записи нет.", "Мұндай тіркелгі жоқ.", "Böyle bir hesap yok."),
    "No such product.": ("Такого товара нет.", "Мұндай тауар жоқ.", "Böyle bir ürün yok."),
    "No such sync run.": ("Такой синхронизации нет.", "Мұндай синхрондау жоқ.", "Böyle bir eşitleme yok."),
    "No sync yet.": ("Синхронизаций ещё не было.", "Әлі синхрондау болмаған.", "Henüz eşitleme yok."),
    "Not a component of any active BOM.": ("Не входит ни в одну активную спецификацию.", "Ешбір белсенді спецификацияның құрамында жоқ.", "Hiçbir etkin ürün ağacında bileşen değil."),
    "Open production tasks": ("Открытые производственные задания", "Ашық өндірістік тапсырмалар", "Açık üretim görevleri"),
    "Open proposals": ("Открытые предложения", "Ашық ұсыныстар", "Açık öneriler"),
    "Open the chart page": ("Открыть страницу графика", "График бетін ашу", "Grafik sayfasını aç"),
    "Purchase orders": ("Заказы поставщикам", "Сатып алу тапсырыстары", "Satın alma siparişleri"),
    "Reserved": ("В резерве", "Резервте", "Rezerve"),
    "Rows": ("Строки", "Жолдар", "Satırlar"),
    "Show": ("Показать", "Көрсету", "Göster"),
    "Started": ("Начато", "Басталды", "Başlangıç"),
    "Stock": ("Остатки", "Қор", "Stok"),
    "Stock by location": ("Остатки по точкам", "Нүктелер бойынша қор", "Lokasyona göre stok"),
    "Stream": ("Поток", "Ағын", "Akış"),
    "Streams: last run and health": ("Потоки: последний запуск и состояние", "Ағындар: соңғы іске қосу және күйі", "Akışlar: son çalışma ve durum"),
    "Sync now": ("Синхронизировать сейчас", "Қазір синхрондау", "Şimdi eşitle"),
    "Sync run %(id)s": ("Синхронизация %(id)s", "Синхрондау %(id)s", "Eşitleme %(id)s"),
    "What went wrong": ("Что пошло не так", "Не дұрыс болмады", "Ne ters gitti"),
    "Where used": ("Где используется", "Қайда қолданылады", "Kullanıldığı yerler"),
    "disabled": ("отключена", "өшірулі", "devre dışı"),
    "from proposal": ("из предложения", "ұсыныстан", "öneriden"),
    "last run": ("последний запуск", "соңғы іске қосу", "son çalışma"),
    "makes": ("выход", "шығымы", "üretir"),
    "received": ("получено", "алынды", "teslim alınan"),
    "In plain words": ("Простыми словами", "Қарапайым тілмен", "Sade anlatımla"),
    "Arrives": ("Поступит", "Келеді", "Varış"),
    "Date": ("Дата", "Күні", "Tarih"),
    "Decided at": ("Решено", "Шешім уақыты", "Karar zamanı"),
    "Decided quantity": ("Утверждённое количество", "Бекітілген саны", "Onaylanan miktar"),
    "Deliver to": ("Куда доставить", "Жеткізу орны", "Teslim yeri"),
    "Discount": ("Скидка", "Жеңілдік", "İndirim"),
    "Expected": ("Ожидается", "Күтілуде", "Beklenen"),
    "Explanation": ("Пояснение", "Түсіндірме", "Açıklama"),
    "Export CSV": ("Экспорт CSV", "CSV экспорттау", "CSV dışa aktar"),
    "Export XLSX": ("Экспорт XLSX", "XLSX экспорттау", "XLSX dışa aktar"),
    "From proposal": ("Из предложения", "Ұсыныстан", "Öneriden"),
    "High (p90)": ("Верхняя (p90)", "Жоғарғы (p90)", "Yüksek (p90)"),
    "Inventory position": ("Позиция запаса", "Қор позициясы", "Envanter pozisyonu"),
    "Low (p10)": ("Нижняя (p10)", "Төменгі (p10)", "Düşük (p10)"),
    "Median (p50)": ("Медиана (p50)", "Медиана (p50)", "Medyan (p50)"),
    "Note": ("Примечание", "Ескерту", "Not"),
    "On promotion": ("Акция", "Акция", "Kampanyada"),
    "Order": ("Заказ", "Тапсырыс", "Sipariş"),
    "Order date": ("Дата заказа", "Тапсырыс күні", "Sipariş tarihi"),
    "Price paid": ("Цена продажи", "Төленген баға", "Ödenen fiyat"),
    "Proposal": ("Предложение", "Ұсыныс", "Öneri"),
    "Received": ("Получено", "Алынды", "Teslim alınan"),
    "Returns": ("Возвраты", "Қайтарулар", "İadeler"),
    "Revenue": ("Выручка", "Түсім", "Ciro"),
    "Run": ("Запуск", "Іске қосу", "Çalıştırma"),
    "SKU": ("Артикул", "Артикул", "Stok kodu"),
    "Safety stock": ("Страховой запас", "Сақтандыру қоры", "Emniyet stoğu"),
    "Status": ("Статус", "Күйі", "Durum"),
    "Unit": ("Ед. изм.", "Өлшем бірлігі", "Birim"),
    "Unit price": ("Цена за единицу", "Бірлік бағасы", "Birim fiyat"),
    "Warnings": ("Предупреждения", "Ескертулер", "Uyarılar"),
    "no": ("нет", "жоқ", "hayır"),
    "yes": ("да", "иә", "evet"),
}
# msgid_plural entries: msgid -> forms per language (ru: 3 forms, kk: 2, tr: 2)
PLURALS = {
    "stream failing or stale": (
        ("поток с ошибкой или устарел", "потока с ошибкой или устарели", "потоков с ошибкой или устарели",
         "потока с ошибкой или устарели"),
        ("ағын қате немесе ескірген", "ағын қате немесе ескірген"),
        ("akış hatalı veya eski", "akış hatalı veya eski"),
    ),
}
LANGS = ("ru", "kk", "tr")

# The messages of services, serializers and the API (errors, validation, hints): their own table, same shape.
from translations_messages import MESSAGE_PLURALS, MESSAGES  # noqa: E402 - run as a script from locale/

T.update(MESSAGES)
PLURALS.update(MESSAGE_PLURALS)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    import re
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent
    missing_all = set()
    for index, lang in enumerate(LANGS):
        path = root / lang / "LC_MESSAGES" / "django.po"
        text = path.read_text(encoding="utf-8")
        entries = text.split("\n\n")
        out = []
        for entry in entries:
            match = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
            if not match:
                out.append(entry)
                continue
            msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))).replace('\\"', '"')
            if msgid == "":
                out.append(entry)
                continue
            # A translation written here is reviewed: drop msgmerge's fuzzy flag (a fuzzy entry is left out of the
            # .mo, so it would show in English) and its "#|" guess of the previous msgid.
            start = match.start()  # the msgid line itself, not a "#| msgid" comment above it
            head = entry[:start].replace("#, fuzzy\n", "").replace("#, fuzzy, ", "#, ")
            head = "".join(line for line in head.splitlines(keepends=True) if not line.startswith("#|"))
            ident = entry[start:]
            plural = re.search(r'^msgid_plural (".*")', ident, re.M)
            ident = re.split(r"^msgstr", ident, flags=re.M)[0].rstrip("\n")
            if plural:
                forms = PLURALS.get(msgid)
                if forms is None:
                    missing_all.add(msgid)
                    out.append(entry)
                    continue
                body = "\n".join(f"msgstr[{i}] {_quote(f)}" for i, f in enumerate(forms[index]))
            else:
                if msgid not in T:
                    missing_all.add(msgid)
                    out.append(entry)
                    continue
                body = f"msgstr {_quote(T[msgid][index])}"
            out.append(f"{head}{ident}\n{body}")
        path.write_text("\n\n".join(out), encoding="utf-8")
    if missing_all:
        print("untranslated:", *sorted(missing_all), sep="\n  ", file=sys.stderr)
