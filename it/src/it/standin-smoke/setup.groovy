def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.start(basedir, mavenHome)
dps.seedJson('''{"registrationId": "smoke-1", "attestation": {"type": "x509", "x509": {"clientCertificates":
    {"primary": {"certificate": "''' + io.github.dpsplugin.core.enroll.standin.StandInCertificates.selfSignedPem('smoke-1')
        .replace('\n', '\\n') + '''"}}}}, "initialTwin": {"tags": {"site": "smoke"}}}''')
return true
