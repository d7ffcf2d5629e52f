// The frontend calls the backend on the same origin: CloudFront (or the local preview) sends /api/* to it.
const statusLine = document.getElementById('status');
const list = document.getElementById('notes');

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

function show(notes) {
  list.replaceChildren(...notes.map(n => {
    const li = document.createElement('li');
    li.textContent = n.text + ' ';
    const when = document.createElement('small');
    when.textContent = new Date(n.createdAt).toLocaleString();
    li.appendChild(when);
    return li;
  }));
}

async function refresh() {
  show(await api('/api/notes'));
}

document.getElementById('add').addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('text');
  await api('/api/notes', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: input.value });
  input.value = '';
  await refresh();
});

(async () => {
  try {
    const health = await api('/api/health');
    statusLine.textContent = 'Backend ' + health.status + ', notes kept in ' + health.storage + '.';
    document.getElementById('greeting').textContent = (await api('/api/hello')).greeting;
    await refresh();
  } catch (e) {
    statusLine.textContent = 'The backend does not answer: ' + e.message;
  }
})();
