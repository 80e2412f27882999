def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.writePreviousRun(basedir)
// a fleet whose line 7 has a MAC address with a missing byte
def dir = new File(basedir, 'fleet')
dir.mkdirs()
new File(dir, 'devices.csv').setText('macAddress,firmwareVersion\n# line 2 is a comment\nc89346000001,2.0.0\n' +
        'c89346000002,2.0.0\n\nc89346000003,2.0.0\nc8934600004,2.0.0\nc89346000005,2.0.0\n', 'US-ASCII')
new File(dir, 'uds.csv').setText((1..5).collect { "az-c8934600000${it}v2v0v0," + ('0' * 63) + it }.join('\n') + '\n', 'US-ASCII')
return true
