# Adds bertgui to the Windows Start menu (written for the PyInstaller build; NOT tested: no Windows machine here).
# Run from the built folder: right-click > "Run with PowerShell". Remove the shortcut by deleting it from
# %APPDATA%\Microsoft\Windows\Start Menu\Programs\bertgui.lnk.
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$target = Join-Path $here "bertgui-window.exe"
if (-not (Test-Path $target)) { Write-Error "bertgui-window.exe is not beside this script"; exit 1 }
$link = Join-Path ([Environment]::GetFolderPath("Programs")) "bertgui.lnk"
if ((Test-Path $link) -and -not ((New-Object -ComObject WScript.Shell).CreateShortcut($link).TargetPath -like "*bertgui*")) {
    Write-Error "$link exists and is not bertgui's; left as it is"; exit 1
}
$shortcut = (New-Object -ComObject WScript.Shell).CreateShortcut($link)
$shortcut.TargetPath = $target
$shortcut.WorkingDirectory = $here
$shortcut.IconLocation = "$target,0"
$shortcut.Description = "Continue pre-training a BERT model on your own text"
$shortcut.Save()
Write-Output "Added $link"
