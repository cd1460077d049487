@echo off
rem Runs the kerb command line of this distribution: put its bin folder on the PATH. Needs Java 17 or later:
rem %JAVA_HOME%\bin\java.exe when JAVA_HOME is set, else java on the PATH. KERB_JAVA_OPTS adds JVM options.
setlocal
set "KERB_HOME=%~dp0.."
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
set "VECTOR="
if "%~1"=="bench" set "VECTOR=--add-modules jdk.incubator.vector -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,dev.kerb.workloads.VectorFloorLoop::*"
"%JAVA_EXE%" %KERB_JAVA_OPTS% %VECTOR% -cp "%KERB_HOME%\lib\*" dev.kerb.cli.MainKt %*
exit /b %ERRORLEVEL%
