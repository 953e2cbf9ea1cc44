"""Errors a person can act on: one line each, naming the file, field or code and what was
expected (bad config, case code, fix log, ``--only``)."""

from __future__ import annotations

from diagwizard.core.text import Text

# --only
UNKNOWN_ONLY = Text(
    "--only {bad} 不符合任何檢查項目。可用的項目：{ids}",
    "--only {bad} matches no check. The checks are: {ids}",
)

# A case code read over the phone.
CODE_UNREADABLE = Text("案件代碼內容無法解讀", "The case code's content cannot be read")
CODE_INCOMPLETE = Text("案件代碼太短或不完整", "The case code is too short or incomplete")
CODE_PREFIX = Text("案件代碼應以 {prefix} 開頭", "A case code starts with {prefix}")
CODE_BAD_CHARACTER = Text(
    "案件代碼含有無效字元「{ch}」", "The case code has an invalid character “{ch}”"
)
CODE_TOO_SHORT = Text("案件代碼太短", "The case code is too short")
CODE_TOO_LONG = Text(
    "案件代碼太長：這不是這個版本的案件代碼", "The case code is too long for a code of this version"
)
CODE_OLD_FORMAT = Text(
    "這個案件代碼來自舊版的 diagwizard（新版代碼以 {prefix} 開頭），請雙方使用相同版本",
    "This case code comes from an older diagwizard (codes now start with {prefix}); use the "
    "same version",
)
CODE_MISTYPED = Text(
    "案件代碼有誤（檢查碼不符），請再確認一次每個字元",
    "The case code is mistyped (its check does not match); please read it again",
)
CODE_OTHER_VERSION = Text(
    "這個案件代碼來自不同版本的 diagwizard（代碼本 {theirs}，本機 {ours}），請雙方使用相同版本",
    "This case code comes from another diagwizard version (code book {theirs}, here {ours}); "
    "use the same version",
)

# The configuration file.
CONFIG_INVALID = Text(
    "設定檔 {file} 有誤：欄位 {key}：{what}", "Config file {file} is invalid: key {key}: {what}"
)
CONFIG_INVALID_TOP = Text(
    "設定檔 {file} 有誤：{what}", "Config file {file} is invalid (top level): {what}"
)
CONFIG_NOT_FOUND = Text("找不到設定檔 {file}", "Config file {file} not found")
CONFIG_UNREADABLE = Text("無法讀取設定檔 {file}：{err}", "Cannot read config file {file}: {err}")
CONFIG_NOT_UTF8 = Text(
    "設定檔 {file} 不是 UTF-8 文字（第 {pos} 個位元組）",
    "Config file {file} is not UTF-8 text (byte {pos})",
)
CONFIG_REFUSED = Text("無法讀取設定檔 {file}：{why}", "Cannot read config file {file}: {why}")
CONFIG_TOO_DEEP = Text("設定檔 {file} 的巢狀層次太深", "Config file {file} is nested too deeply")
CONFIG_NOT_TOML = Text(
    "設定檔 {file} 不是有效的 TOML：{err}", "Config file {file} is not valid TOML: {err}"
)

# The fix log.
BAD_FIX_LOG = Text(
    "修正紀錄檔 {file} 無法讀取：應為 diagwizard 的 JSON 修正紀錄（{err}）",
    "The fix log {file} cannot be read: expected diagwizard's JSON fix log ({err})",
)
FIX_LOG_REFUSED = Text(
    "不使用修正紀錄檔 {file}：{why}。請確認這個檔案是您自己的，再修正或刪除它",
    "The fix log {file} is not used: {why}. Make sure the file is your own, then fix or "
    "delete it",
)
FIX_LOG_NEWER = Text(
    "修正紀錄檔 {file} 來自較新版本的 diagwizard（格式 {schema}），這個版本不會修改它",
    "The fix log {file} comes from a newer diagwizard (format {schema}); this version "
    "leaves it alone",
)

# Files diagwizard reads or writes (the config, the fix log, KB files, certificates):
# why one is refused, inserted into the message that names the file.
FILE_NOT_REGULAR = Text("它不是一般檔案，而是{kind}", "it is not a regular file but {kind}")
FILE_TOO_LARGE = Text("檔案太大（上限 {limit}）", "the file is too large (the limit is {limit})")
FILE_IS_LINK = Text("它是符號連結", "it is a symbolic link")
FILE_OTHER_OWNER = Text(
    "它屬於另一個使用者（uid {uid}）", "it belongs to another user (uid {uid})"
)
FILE_WRITABLE_BY_OTHERS = Text(
    "其他使用者可以寫入它（權限 {mode}）", "other users can write to it (mode {mode})"
)
FOLDER_OTHER_OWNER = Text(
    "它所在的資料夾屬於另一個使用者（uid {uid}）",
    "its folder belongs to another user (uid {uid})",
)
FOLDER_WRITABLE_BY_OTHERS = Text(
    "其他使用者可以寫入它所在的資料夾（權限 {mode}）",
    "other users can write to its folder (mode {mode})",
)
KIND_FOLDER = Text("資料夾", "a folder")
KIND_FIFO = Text("具名管道（FIFO）", "a named pipe (FIFO)")
KIND_SOCKET = Text("通訊端（socket）", "a socket")
KIND_DEVICE = Text("裝置", "a device")
KIND_OTHER = Text("特殊檔案", "a special file")
CANNOT_READ_FILE = Text("無法讀取 {file}：{why}", "Cannot read {file}: {why}")

# A knowledge-base file (built in, or a plugin's).
KB_INVALID = Text(
    "知識庫檔案 {file} 有誤：欄位 {field}：{what}",
    "Knowledge-base file {file} is invalid: field {field}: {what}",
)
