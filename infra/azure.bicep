// Azure resources for `atk provision` (m365agents.yml): a Linux App Service running `npm start`, a
// user-assigned managed identity the bot authenticates as (no client secret to store or rotate), and the
// Azure Bot registration with its Microsoft Teams channel. The outputs are written to env/.env.<env>.

@maxLength(20)
@minLength(4)
@description('Base name of every resource in this file')
param resourceBaseName string

param webAppSku string = 'B1'

param location string = resourceGroup().location

@maxLength(42)
param botDisplayName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: resourceBaseName
}

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  kind: 'linux'
  location: location
  name: resourceBaseName
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux: better-sqlite3 is built on Linux by `npm install` in the deploy step
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: resourceBaseName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node bin/her2bot.js serve'
      alwaysOn: true // the daily digest runs on a schedule inside the process
      ftpsState: 'FtpsOnly'
      appSettings: [
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        // Built before the zip is made (npm install runs prepare); no Oryx build on the server.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PUBLIC_URL', value: 'https://${resourceBaseName}.azurewebsites.net' }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
        // The package is mounted read-only; /home is the App Service's persistent storage.
        { name: 'DATABASE_PATH', value: '/home/data/her2bot.db' }
      ]
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  kind: 'azurebot'
  location: 'global'
  name: resourceBaseName
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
