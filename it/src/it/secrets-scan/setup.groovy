def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def dir = new File(basedir, 'fleet')
Fleet.write(dir, 20)
// columns swapped on device 3's line (line 6)
def lines = new File(dir, 'uds.csv').getText('US-ASCII').split('\n') as List
def i = lines.findIndexOf { it.startsWith(Fleet.id(3) + ',') }
lines[i] = Fleet.uds(3) + ',' + Fleet.id(3)
new File(dir, 'uds-swapped.csv').setText(lines.join('\n') + '\n', 'US-ASCII')
return true
