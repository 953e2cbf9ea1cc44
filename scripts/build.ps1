# Windows: build the programs, the wheel and the sdist from a clean clone into dist\.
# The same steps as scripts/build (keep the two in step), plus signing:
#   1. uv build -> dist\diagwizard-*.whl, dist\diagwizard-*.tar.gz
#   2. build\venv: the locked runtime dependencies + PyInstaller + the project, installed
#      as a normal (not editable) package, so the programs hold what the wheel holds
#   3. pyinstaller packaging\diagwizard.spec -> dist\diagwizard.exe (one file) and
#      dist\diagwizard-folder\ (one folder: diagwizard.exe + _internal\)
#   4. Authenticode: when DIAGWIZARD_SIGN_PFX names a code-signing certificate (.pfx;
#      its password in DIAGWIZARD_SIGN_PASSWORD), signtool signs both programs and every
#      unsigned .dll/.pyd of the folder, with an RFC 3161 timestamp
#      (DIAGWIZARD_SIGN_TIMESTAMP, default http://timestamp.digicert.com). Without it the
#      programs are left unsigned, and the build says so.
#   5. packaging\finish.py -> dist\diagwizard-folder.zip and dist\SHA256SUMS (after
#      signing: the hashes are of what is published)
#   6. smoke test: both programs' --version
# Needs Python 3.11+ on PATH; installs uv with pip when it is missing.
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Step([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

function Find-SignTool {
    $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($found) { return $found.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $tool = Get-ChildItem -Path $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match "\\x64\\" } | Sort-Object FullName | Select-Object -Last 1
    if (-not $tool) { throw "signtool.exe not found (install the Windows SDK)" }
    return $tool.FullName
}

if (-not (Get-Command uv -ErrorAction SilentlyContinue)) {
    Invoke-Step python @("-m", "pip", "install", "--quiet", "uv")
}
$env:UV_PYTHON_DOWNLOADS = "never"

Write-Host "==> wheel and sdist"
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue dist\diagwizard.exe, dist\diagwizard-folder,
    dist\diagwizard-folder.zip, dist\SHA256SUMS, dist\diagwizard-*.whl, dist\diagwizard-*.tar.gz
Invoke-Step uv @("build", "--quiet", "--out-dir", "dist")

Write-Host "==> build environment (build\venv)"
$env:UV_PROJECT_ENVIRONMENT = Join-Path $Root "build\venv"
# --reinstall-package: the version does not change with every commit; uv would keep the
# copy an earlier build installed.
Invoke-Step uv @("sync", "--frozen", "--quiet", "--no-dev", "--group", "build", "--no-editable", "--reinstall-package", "diagwizard")

Write-Host "==> one-file and one-folder programs"
Invoke-Step (Join-Path $Root "build\venv\Scripts\pyinstaller.exe") @(
    "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", (Join-Path $Root "dist"), "--workpath", (Join-Path $Root "build\pyinstaller"),
    "packaging\diagwizard.spec")

if ($env:DIAGWIZARD_SIGN_PFX) {
    Write-Host "==> Authenticode signing"
    $SignTool = Find-SignTool
    $Stamp = if ($env:DIAGWIZARD_SIGN_TIMESTAMP) { $env:DIAGWIZARD_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
    $Files = @((Join-Path $Root "dist\diagwizard.exe"))
    $Files += Get-ChildItem -Path (Join-Path $Root "dist\diagwizard-folder") -Recurse -Include *.exe, *.dll, *.pyd |
        Where-Object { (Get-AuthenticodeSignature $_.FullName).Status -eq "NotSigned" } |
        ForEach-Object { $_.FullName }
    $SignArgs = @("sign", "/fd", "SHA256", "/tr", $Stamp, "/td", "SHA256", "/f", $env:DIAGWIZARD_SIGN_PFX)
    if ($env:DIAGWIZARD_SIGN_PASSWORD) { $SignArgs += @("/p", $env:DIAGWIZARD_SIGN_PASSWORD) }
    Invoke-Step $SignTool ($SignArgs + $Files)
    foreach ($File in @((Join-Path $Root "dist\diagwizard.exe"), (Join-Path $Root "dist\diagwizard-folder\diagwizard.exe"))) {
        $Signature = Get-AuthenticodeSignature $File
        if ($Signature.Status -ne "Valid") { throw "$File is not validly signed: $($Signature.Status)" }
        Write-Host "signed: $File by $($Signature.SignerCertificate.Subject)"
    }
} else {
    Write-Host "==> not signed: no code-signing certificate configured (set DIAGWIZARD_SIGN_PFX)"
}

Invoke-Step (Join-Path $Root "build\venv\Scripts\python.exe") @("packaging\finish.py", (Join-Path $Root "dist"))

Invoke-Step (Join-Path $Root "dist\diagwizard.exe") @("--version")
Invoke-Step (Join-Path $Root "dist\diagwizard-folder\diagwizard.exe") @("--version")
Get-ChildItem dist
