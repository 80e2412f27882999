def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ["device 'devkit-second' (#2 of <devices>): udsServerId: settings.xml has no <server> with id 'no-such-server'"])
// the message names the settings.xml files the build read (here the invoker's -s file)
def read = Checks.log(basedir) =~ /no-such-server'; add one whose <password> is the device's UDS \(see the plugin's README\); settings read: (\S+)/
assert read.find(): 'the message does not name the settings.xml files read'
assert new File(read.group(1).replaceAll(/[,.]$/, '')).isFile(): "not a file: ${read.group(1)}"
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])
return true
