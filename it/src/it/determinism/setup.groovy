def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
Fleet.write(new File(basedir, 'fleet'), 200)
// the CRLF map under the LF map's file name: the manifest records the map's name
def crlf = new File(basedir, 'crlf')
crlf.mkdirs()
def bytes = new File(vectorsDir, 'firmware/fw-a-crlf.ino.map').bytes
assert new String(bytes, 'ISO-8859-1').contains('__stop_riot_fw = .\r\n')
new File(crlf, 'fw-a.ino.map').bytes = bytes
return true
