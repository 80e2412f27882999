import io.github.dpsplugin.core.enroll.standin.StandInCertificates

def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.start(basedir, mavenHome)
def pem = { String cn -> StandInCertificates.selfSignedPem(cn).replace('\n', '\\n') }
// devkit-it-01 is enrolled already, with another certificate and every setting a user may have given it
dps.seedJson('''{"registrationId": "devkit-it-01", "deviceId": "kitchen-sensor",
  "attestation": {"type": "x509", "x509": {"clientCertificates": {"primary": {"certificate": "''' + pem('old-01') + '''"}}}},
  "initialTwin": {"tags": {"site": "hall 7", "rack": 3}, "properties": {"desired": {"interval": 0.125}}},
  "iotHubs": ["hub-a.azure-devices.net", "hub-b.azure-devices.net"], "allocationPolicy": "custom",
  "customAllocationDefinition": {"webhookUrl": "https://alloc.example/api", "apiVersion": "2021-10-01"},
  "reprovisionPolicy": {"updateHubAssignment": false, "migrateDeviceData": true},
  "capabilities": {"iotEdge": true}, "provisioningStatus": "disabled",
  "optionalDeviceInformation": {"model": "AZ3166"}, "futureSetting": {"mode": "x"}}''')
// someone else's enrollment: never touched
dps.seedJson('''{"registrationId": "someone-elses", "attestation": {"type": "x509", "x509": {"clientCertificates":
  {"primary": {"certificate": "''' + pem('foreign') + '''"}}}}, "initialTwin": {"tags": {"team": "other"}}}''')
dps.resetCounts()
return true
