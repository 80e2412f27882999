import io.github.dpsplugin.core.enroll.standin.StandInCertificates

def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.start(basedir, mavenHome)
def pem = { String cn -> StandInCertificates.selfSignedPem(cn).replace('\n', '\\n') }
// two of release 1.3.7's enrollments carry settings (their certificates are placeholders until run 1)
for (id in ['devkit-it-01', 'az-a0b1c2d3e401v1v3v7']) {
    dps.seedJson('''{"registrationId": "''' + id + '''",
      "attestation": {"type": "x509", "x509": {"clientCertificates": {"primary": {"certificate": "''' + pem(id) + '''"}}}},
      "initialTwin": {"tags": {"site": "hall 7"}, "properties": {"desired": {"interval": 30}}},
      "iotHubs": ["hub-a.azure-devices.net"], "allocationPolicy": "static",
      "reprovisionPolicy": {"updateHubAssignment": true, "migrateDeviceData": false},
      "capabilities": {"iotEdge": false}, "provisioningStatus": "enabled", "futureSetting": {"mode": "x"}}''')
}
dps.resetCounts()
return true
