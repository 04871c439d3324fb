# escape=`
FROM mcr.example/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest -Uri https://example.org/tool.zip -OutFile C:\tool.zip ; `
    Expand-Archive C:\tool.zip -DestinationPath C:\tool ; `
    Remove-Item C:\tool.zip
ENV PATH="C:\tool;${PATH}"
WORKDIR C:\app
COPY . .
CMD ["C:\\tool\\tool.exe"]
