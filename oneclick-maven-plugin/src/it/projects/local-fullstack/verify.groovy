def probe = new File(basedir, 'target/probe.txt').readLines().collectEntries { l -> def p = l.split(' ', 2); [p[0], p[1]] }
assert probe['/'].startsWith('200 <!doctype html>') : "the frontend: ${probe['/']}"
assert probe['/api/health'] == '200 ok'
assert probe['/api/env'] == '200 name=shop engine=postgres user=postgres greeting=hi there db=true method=GET' : probe['/api/env']
assert probe['/api/nope'] == '404 none' : 'the backend answers its own 404 under /api/'
assert probe['POST'] == '200 name=shop engine=postgres user=postgres greeting=hi there db=true method=POST'
def log = new File(basedir, 'build.log').text
assert log.contains('Local full stack of 7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f:')
assert log =~ /API: +http:\/\/127\.0\.0\.1:\d+\/api\/ -> backend/
assert log.contains('"apiUrl" : "http://127.0.0.1:')
assert !log.contains('DB_PASSWORD=') : 'no password value in the log'
def pg = new File(basedir, 'target/oneclick-local/stacks/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f/postgres/data/PG_VERSION')
assert pg.isFile() : 'the database keeps its data under the local state folder'
return true
