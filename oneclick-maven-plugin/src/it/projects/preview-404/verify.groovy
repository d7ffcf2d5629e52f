def runs = new File(basedir, 'target/probe.txt').text.split(/(?m)^run /).drop(1)
assert runs.size() == 2 : "two probe runs: ${runs}"
def parse = { String run ->
    def m = [:]
    run.readLines().drop(1).each { l -> def p = l.split(' ', 3); m[p[0]] = [p[1], p.size() > 2 ? p[2] : ''] }
    m
}
def routes = parse(runs[0])
assert routes['/'][0] == '200' && routes['/'][1].startsWith('text/html')
assert routes['/assets/app.1a2b3c4d.js'][0] == '200'
assert routes['/assets/nope.js'][0] == '404' : "a missing asset is 404, not the page: ${routes['/assets/nope.js']}"
assert !routes['/assets/nope.js'][1].startsWith('text/html')
assert routes['/favicon.ico'][0] == '404'
assert routes['/dashboard/settings'] == routes['/'] : 'a client-side route gets the page'
assert routes['/docs/'][0] == '200'
def all = parse(runs[1])
assert all['/assets/nope.js'][0] == '200' && all['/assets/nope.js'][1].startsWith('text/html') : 'spaRouting=all: every missing path gets the page'
return true
