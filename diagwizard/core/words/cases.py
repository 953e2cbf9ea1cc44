"""The case log: ``decode --log``, ``cases …`` and helpdesk mode's cases screen."""

from __future__ import annotations

from diagwizard.core.text import Text

# -- how a case ended ----------------------------------------------------------------------
OUTCOMES = {
    "open": Text("處理中", "open"),
    "fixed": Text("已解決", "fixed"),
    "escalated": Text("已轉介", "escalated"),
}

# -- where the log lives (named in every message about it) ---------------------------------
SETTING_DEFAULT = Text("本機案件紀錄檔", "the local case file")
SETTING_QUEUE = Text("本機待送佇列", "the local queue")
SETTING_ENV = Text("環境變數 {env}", "environment variable {env}")
SETTING_CONFIG = Text("設定檔 {file} 的 [cases] url", "[cases] url in {file}")

# -- errors: one line each, naming the setting ------------------------------------------------
BAD_URL = Text(
    "{setting} 不是可用的資料庫網址：應為 postgresql://使用者@主機/資料庫 或 sqlite:///檔案路徑",
    "{setting} is not a database URL diagwizard can use: expected "
    "postgresql://user@host/db or sqlite:///path",
)
UNREACHABLE = Text(
    "無法連線到案件資料庫 {url}（{setting}）：{err}",
    "Cannot reach the case database {url} ({setting}): {err}",
)
REFUSED = Text(
    "案件資料庫 {url} 拒絕連線（{setting}）：{err}",
    "The case database {url} refused the connection ({setting}): {err}",
)
FAILED = Text(
    "案件資料庫 {url} 發生錯誤（{setting}）：{err}",
    "The case database {url} failed ({setting}): {err}",
)
BUSY = Text(
    "案件資料庫 {url} 正忙，請稍後再試（{setting}）：{err}",
    "The case database {url} is busy; try again shortly ({setting}): {err}",
)
FILE_PROBLEM = Text("無法使用案件紀錄檔 {path}：{err}", "Cannot use the case file {path}: {err}")
DAMAGED = Text("案件紀錄檔 {path} 已損毀：{err}", "The case file {path} is damaged: {err}")
SCHEMA_NEWER = Text(
    "案件資料庫 {url}（{setting}）的結構版本 {theirs} 比這個 diagwizard 認得的 {ours} 新："
    "請更新 diagwizard",
    "The case database {url} ({setting}) has schema version {theirs}, newer than this "
    "diagwizard knows ({ours}): update diagwizard",
)
SCHEMA_FOREIGN = Text(
    "案件資料庫 {url}（{setting}）已有不是 diagwizard 建立的 cases 資料表：請改用另一個資料庫",
    "The case database {url} ({setting}) holds a cases table diagwizard did not make: "
    "use another database",
)
SCHEMA_UPGRADE_FAILED = Text(
    "案件資料庫 {url}（{setting}）的結構版本 {theirs} 較舊，升級到 {ours} 失敗：{err}。"
    "請資料庫擁有者以其帳號執行一次 diagwizard cases info（會升級結構）",
    "The case database {url} ({setting}) has the older schema version {theirs}; upgrading "
    "it to {ours} failed: {err}. Ask the database's owner to run diagwizard cases info "
    "once with their login (it upgrades the schema)",
)
NO_SUCH_CASE = Text("案件紀錄中沒有案件 #{n}（{url}）", "There is no case #{n} in the case log ({url})")
BAD_SINCE = Text(
    "{option} {value} 無法解讀：應為數字加單位，例如 30m、24h、7d、4w（最長 10 年）",
    "{option} {value} cannot be read: expected a number and a unit, e.g. 30m, 24h, 7d, 4w "
    "(at most 10 years)",
)
TOO_LONG = Text("{field} 太長（{n} 字）：最多 {max} 字", "{field} is too long ({n} characters): at most {max}")
BAD_FIX = Text(
    "--fix {value} 不是已知的修正方式。這個案件可用：{ids}（或任何知識庫項目，見 diagwizard kb list）",
    "--fix {value} is not a known fix. For this case: {ids} (or any knowledge-base entry, "
    "see diagwizard kb list)",
)
BAD_FIX_ANY = Text(
    "--fix {value} 不是已知的修正方式：請用自動修正的代號（diagwizard fix --dry-run）或知識庫項目（diagwizard kb list）",
    "--fix {value} is not a known fix: use an automatic fix's id (diagwizard fix --dry-run) "
    "or a knowledge-base entry (diagwizard kb list)",
)
NEEDS_LOG = Text(
    "{option} 只能與 --log 一起使用", "{option} goes with --log (it describes the case to log)"
)
NOTHING_TO_UPDATE = Text(
    "cases update 需要 --outcome、--note 或 --fix 其中至少一項",
    "cases update needs at least one of --outcome, --note, --fix",
)
EXPORT_FAILED = Text("無法寫入 {path}：{err}", "Cannot write {path}: {err}")
EXPORT_IS_FOLDER = Text("{path} 是資料夾：請給一個檔名", "{path} is a folder: give a file name")
EXPORT_NOT_FILE = Text(
    "{path} 不是一般檔案（例如裝置或管線）：請給一個檔名", "{path} is not a file (a device or a pipe): give a file name"
)

# -- what happened ------------------------------------------------------------------------------
LOGGED = Text("已記錄為案件 #{n}（{url}）", "Logged as case #{n} ({url})")
QUEUED = Text(
    "案件已暫存在本機待送佇列（共 {n} 件待送）。資料庫恢復後執行 diagwizard cases sync 即可送出；"
    "下次記錄案件時也會一併送出。",
    "The case is kept in the local queue ({n} waiting). Run diagwizard cases sync once the "
    "database is back; the next case you log sends it too.",
)
SENT = Text("已送出本機佇列中的 {n} 件案件：{numbers}", "Sent {n} queued case(s): {numbers}")
QUEUE_EMPTY = Text("本機待送佇列是空的，沒有要送出的案件。", "The local queue is empty: nothing to send.")
NO_TEAM = Text(
    "未設定團隊資料庫（[cases] url 或 DIAGWIZARD_CASES_URL）：案件存放在本機 {path}",
    "No team database is set ([cases] url or DIAGWIZARD_CASES_URL): cases stay in {path}",
)
SET_ASIDE = Text(
    "案件紀錄檔 {path} 已損毀：已改名為 {aside} 保留（未覆寫），並另建新的紀錄檔。",
    "The case file {path} was damaged: it is kept as {aside} (not overwritten) and a new "
    "one was started.",
)
NOTE_PERSONAL = Text(
    "附註看起來含有個人資料（{kinds}），已改為以下內容記錄：{shown}",
    "The note looked personal ({kinds}); it was stored as: {shown}",
)
PERSONAL_KINDS = {
    "national_id": Text("身分證字號", "a national ID number"),
    "card_number": Text("卡號", "a card number"),
    "email": Text("電子郵件", "an e-mail address"),
    "phone": Text("電話號碼", "a phone number"),
    "credentials": Text("網址中的帳號密碼", "credentials in a URL"),
}
UPDATED = Text("案件 #{n} 已更新", "Case #{n} updated")
EXPORTED = Text("已匯出 {n} 件案件到 {path}", "Exported {n} case(s) to {path}")

# -- time spans ---------------------------------------------------------------------------------
SPANS = {
    "m": Text("{n} 分鐘", "{n} min"),
    "h": Text("{n} 小時", "{n} h"),
    "d": Text("{n} 天", "{n} days"),
    "w": Text("{n} 週", "{n} weeks"),
}
LAST_SPAN = Text("最近 {span}", "the last {span}")
ALL_TIME = Text("全部期間", "all time")

# -- cases list / show ----------------------------------------------------------------------------
LIST_HEADING = Text(
    "案件紀錄：{when}，顯示 {n} 件（{url}）", "Case log: {when}, {n} case(s) shown ({url})"
)
LIST_LIMITED = Text(
    "只顯示最新的 {n} 件；加上 --limit 可顯示更多。", "Only the newest {n} are shown; use --limit for more."
)
NO_CASES = Text("這段期間沒有案件。", "No cases in this period.")
COL_NUMBER = Text("編號", "No.")
COL_TIME = Text("時間", "Logged")
COL_PLATFORM = Text("平台", "Platform")
COL_PROBLEMS = Text("問題", "Problems")
COL_OUTCOME = Text("結果", "Outcome")
COL_AGENT = Text("處理人員", "Agent")
MORE_PROBLEMS = Text("（另 {n} 項）", " (+{n})")
NO_PROBLEM = Text("沒有問題", "no problem")
SHOW_HEADING = Text("案件 #{n}", "Case #{n}")
FIELD_CODE = Text("案件代碼", "Case code")
FIELD_LOGGED = Text("記錄時間", "Logged")
FIELD_UPDATED = Text("最後更新", "Last updated")
FIELD_PLATFORM = Text("平台", "Platform")
FIELD_OUTCOME = Text("結果", "Outcome")
FIELD_FIX = Text("有效的修正", "Fix that worked")
FIELD_AGENT = Text("處理人員", "Agent")
FIELD_NOTE = Text("附註", "Note")
FIELD_PROBLEMS = Text("問題（依處理順序）", "Problems (in the order to fix them)")
LOCAL_TIME = Text("{time}（本機時間）", "{time} (local time)")
NONE = Text("（無）", "(none)")

# -- cases stats --------------------------------------------------------------------------------
STATS_HEADING = Text(
    "各問題案件數：{when}，共 {n} 件案件（{url}）", "Cases per problem: {when}, {n} case(s) ({url})"
)
OUTCOME_LINE = Text(
    "結果：處理中 {open}、已解決 {fixed}、已轉介 {escalated}",
    "Outcomes: open {open}, fixed {fixed}, escalated {escalated}",
)
NO_PROBLEMS_LOGGED = Text("這段期間沒有記錄到任何問題。", "No problem was logged in this period.")
COL_COUNT = Text("件數", "Count")
COL_LAST_HOUR = Text("近1小時", "Last hour")
COL_TREND = Text("趨勢", "Trend")
COL_PROBLEM = Text("問題", "Problem")
WAVE_MARK = Text("▲波峰", "▲WAVE")
WAVE_ALERT = Text(
    "▲波峰 注意：{n} 個問題正在大量湧入：{titles}", "▲WAVE Attention: {n} problem(s) coming in a wave: {titles}"
)
WAVE_RULE = Text(
    "▲波峰＝最近一小時至少 {min} 件，且至少是其餘時段每小時平均的 {factor} 倍",
    "▲WAVE = at least {min} in the last hour and at least {factor}× the hourly average "
    "over the rest of the window",
)
UNIT_HOUR = Text("每格一小時", "one mark per hour")
UNIT_DAY = Text("每格一天", "one mark per day")
TREND_SCALE = Text(
    "趨勢：{start} → {end}，{unit}；每列依自己的最高值縮放，「·」為 0 件",
    "Trend: {start} → {end}, {unit}; each row scaled to its own highest, “·” is none",
)

# -- cases info -----------------------------------------------------------------------------------
INFO_STORE = Text("案件紀錄位置", "Case log")
INFO_SETTING = Text("設定來源", "Set by")
INFO_SCHEMA = Text("結構版本", "Schema version")
SCHEMA_CURRENT = Text("{rev}（最新）", "{rev} (current)")
SCHEMA_BEHIND = Text("{rev}（最新為 {head}）", "{rev} (newest {head})")
INFO_CASES = Text("案件數", "Cases")
INFO_QUEUE = Text("本機待送佇列", "Local queue")
INFO_WAVE = Text("波峰條件", "Wave rule")
COUNT_CASES = Text("{n} 件", "{n}")

# -- CSV export: column headings ---------------------------------------------------------------
CSV_COLUMNS = {
    "number": Text("編號", "number"),
    "logged_local": Text("記錄時間（本機）", "logged (local time)"),
    "logged_utc": Text("記錄時間（UTC）", "logged (UTC)"),
    "platform": Text("平台", "platform"),
    "case_code": Text("案件代碼", "case code"),
    "codes": Text("問題代碼", "problem codes"),
    "problems": Text("問題", "problems"),
    "outcome": Text("結果", "outcome"),
    "fix": Text("有效的修正", "fix that worked"),
    "agent": Text("處理人員", "agent"),
    "note": Text("附註", "note"),
    "updated_utc": Text("最後更新（UTC）", "last updated (UTC)"),
}

# -- helpdesk mode --------------------------------------------------------------------------------
HD_CASES = Text("案件紀錄與趨勢", "Case log and trends")
CASES_TITLE = Text(
    "案件紀錄（{when}）：{n} 件", "Case log ({when}): {n} case(s)"
)
CASES_STORE = Text("位置：{url}", "Stored in: {url}")
FILTER_ALL = Text("全部問題", "All problems")
FILTER_OPTION = Text("{title}（{n} 件）", "{title} ({n})")
FILTER_WAVE = Text("▲波峰 {title}（{n} 件）", "▲WAVE {title} ({n})")
CASES_LOADING = Text("讀取案件紀錄中…", "Reading the case log…")
TREND_ALL = Text("全部問題", "All problems")
TREND_HEADING = Text(
    "最近 {hours} 小時的趨勢（每格一小時，最右邊是現在）",
    "The last {hours} hours (one bar per hour, now on the right)",
)
TREND_LINE = Text(
    "{title}：{count} 件｜近 1 小時 {last} 件｜平時每小時 {avg} 件",
    "{title}: {count} · last hour {last} · usually {avg}/h",
)
TREND_WAVES = Text("▲波峰：{titles}", "▲WAVE: {titles}")
TREND_WAVE = Text("▲波峰：這個問題正在大量湧入", "▲WAVE: this problem is coming in a wave")
CASES_EMPTY = Text(
    "沒有符合的案件。解讀案件代碼後按 g 即可記錄。", "No matching cases. Press g after decoding a code to log it."
)
CASES_FAILED = Text("無法讀取案件紀錄：{err}", "Cannot read the case log: {err}")
EDIT_TITLE = Text("案件 #{n}：結果與附註", "Case #{n}: outcome and note")
LOG_TITLE = Text("記錄這個案件：{code}", "Log this case: {code}")
LOG_OFFER = Text("要記錄這個案件嗎？按 g 記錄。", "Log this case? Press g.")
NO_CASE_TO_LOG = Text("請先解讀一個案件代碼，再記錄案件。", "Decode a case code first, then log it.")
FIELD_FIX_CHOICE = Text(
    "有效的修正（可不選；在清單上按 Enter 開啟清單）",
    "Fix that worked (optional; Enter on the list opens it)",
)
NOT_LOGGED = Text("未記錄：已取消，這個案件沒有存起來", "Not logged: cancelled, the case was not saved")
NOT_SAVED = Text("未儲存：已取消，案件沒有變更", "Not saved: cancelled, the case is unchanged")
NO_FIX_CHOSEN = Text("（未指定）", "(not given)")
NOTE_PLACEHOLDER = Text("簡短附註（請勿輸入個人資料）", "Short note (no personal data)")
AGENT_PLACEHOLDER = Text("處理人員姓名", "Agent's name")
SAVE = Text("儲存", "Save")
DIALOG_KEYS = Text(
    "1–3 選結果 · Tab 下一欄 · Enter 儲存 · Esc 取消 · F2 English",
    "1–3 outcome · Tab next · Enter save · Esc cancel · F2 中文",
)
SAVED = Text("案件 #{n} 已儲存", "Case #{n} saved")
