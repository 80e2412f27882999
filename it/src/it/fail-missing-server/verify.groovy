def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ["device 'devkit-second' (#2 of <devices>): udsServerId: settings.xml has no <server> with id 'no-such-server'"])
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])
return true
