#!/usr/bin/env perl
# Notes: a Mojolicious::Lite app. Notes live in a JSON file in the state directory of the
# app user (/var/lib/notes), seeded at build time. Several routes need a module that
# nothing else loads: each is required inside its handler, on the first request for it.
use Mojolicious::Lite -signatures;
use Mojo::File qw(path);
use Mojo::JSON qw(decode_json encode_json);
use Mojo::Util ();
use Fcntl qw(:flock);

my $STORE = $ENV{NOTES_STORE} // '/var/lib/notes/notes.json';

app->secrets(['7c1e0f3a9b-notes-corpus-secret']);
app->sessions->cookie_name('notes_session');
app->sessions->default_expiration(3600);
app->renderer->compress(1);
app->config(hypnotoad => {
  listen   => ['http://*:3000'],
  workers  => 2,
  pid_file => '/tmp/hypnotoad.pid',
});

helper notes => sub ($c) { decode_json(path($STORE)->slurp) };

helper add_note => sub ($c, $title, $body) {
  open my $lock, '>>', "$STORE.lock" or die "cannot open the lock file: $!";
  flock $lock, LOCK_EX or die "cannot lock: $!";
  my $all = $c->notes;
  my $id  = 0;
  $id < $_->{id} and $id = $_->{id} for @$all;
  my $note = {id => $id + 1, title => $title, body => $body, created => Mojo::Date->new->to_datetime};
  push @$all, $note;
  path("$STORE.tmp")->spurt(encode_json($all));
  rename "$STORE.tmp", $STORE or die "cannot rename: $!";
  close $lock;
  return $note;
};

helper find_note => sub ($c, $id) {
  my ($note) = grep { $_->{id} == $id } @{$c->notes};
  return $note;
};

get '/' => sub ($c) { $c->render('index', notes => $c->notes) };

get '/notes/:id' => [id => qr/\d+/] => sub ($c) {
  my $note = $c->find_note($c->param('id')) or return $c->reply->not_found;
  require POSIX;    # the long date of the page
  my $written = POSIX::strftime('%d %B %Y', gmtime Mojo::Date->new($note->{created})->epoch);
  $c->render('show', note => $note, written => $written);
};

post '/notes' => sub ($c) {
  my $v = $c->validation;
  $v->required('title', 'trim')->size(1, 80);
  $v->required('body',  'trim')->size(1, 500);
  return $c->render('index', notes => $c->notes, status => 422) if $v->has_error;
  my $note = $c->add_note($v->param('title'), $v->param('body'));
  $c->redirect_to("/notes/$note->{id}");
};

get '/api/notes' => sub ($c) {
  my $all = $c->notes;
  if (defined(my $q = $c->param('q'))) {
    $all = [grep { index(lc $_->{title}, lc $q) >= 0 } @$all];
  }
  $c->render(json => {count => scalar @$all, notes => $all});
};

get '/api/notes/:id' => [id => qr/\d+/] => sub ($c) {
  my $note = $c->find_note($c->param('id')) or return $c->render(json => {error => 'no such note'}, status => 404);
  $c->render(json => $note);
};

post '/api/notes' => sub ($c) {
  my $data = $c->req->json;
  return $c->render(json => {error => 'the body is not JSON'}, status => 400) unless ref $data eq 'HASH';
  my ($title, $body) = map { my $s = $_ // ''; $s =~ s/^\s+|\s+$//g; $s } @$data{qw(title body)};
  my @errors;
  push @errors, 'title is required' unless length $title;
  push @errors, 'body is required'  unless length $body;
  return $c->render(json => {errors => \@errors}, status => 422) if @errors;
  my $note = $c->add_note($title, $body);
  $c->res->headers->location("/api/notes/$note->{id}");
  $c->render(json => $note, status => 201);
};

# The fingerprint of a text: SHA-256 and three base64 spellings of its UTF-8 bytes.
get '/fingerprint' => sub ($c) {
  require Digest::SHA;
  require MIME::Base64;
  my $bytes = Mojo::Util::encode('UTF-8', $c->param('text') // '');
  $c->render(json => {
    sha256    => Digest::SHA::sha256_hex($bytes),
    base64    => MIME::Base64::encode_base64($bytes, ''),
    base64url => MIME::Base64::encode_base64url($bytes),
    mojo      => Mojo::Util::b64_encode($bytes, ''),
  });
};

# A date in words (Time::Piece, an XS module).
get '/date/:ymd' => [ymd => qr/\d{4}-\d\d-\d\d/] => sub ($c) {
  require Time::Piece;
  my $t = Time::Piece->strptime($c->param('ymd'), '%Y-%m-%d');
  $c->render(json => {
    long        => $t->strftime('%A %d %B %Y'),
    day_of_year => $t->yday + 1,
    week        => $t->week,
    epoch       => $t->epoch,
  });
};

# A text in a legacy encoding: Encode loads Encode::Byte (iso-8859-15) or Encode::JP
# (shift_jis) by computed name (cp1252 is built into Encode itself).
my %CHARSET = ('cp1252' => 'windows-1252', 'iso-8859-15' => 'ISO-8859-15', 'shift_jis' => 'Shift_JIS');
get '/export/:enc' => sub ($c) {
  my $charset = $CHARSET{$c->param('enc')} or return $c->reply->not_found;
  require Encode;
  my $bytes = Encode::encode($c->param('enc'), $c->param('text') // '');
  $c->res->headers->content_type("text/plain; charset=$charset");
  $c->render(data => $bytes);
};

# The other way: a body in a Windows code page (cp1250 is in Encode::Byte) decoded to JSON.
post '/import/:enc' => [enc => ['cp1250', 'cp1252']] => sub ($c) {
  require Encode;
  my $text = Encode::decode($c->param('enc'), $c->req->body);
  $c->render(json => {text => $text, length => length $text});
};

# A text wrapped for a narrow screen (Text::Wrap).
get '/wrap' => sub ($c) {
  require Text::Wrap;
  local $Text::Wrap::columns = 1 + ($c->param('width') // 20);
  local $Text::Wrap::huge    = 'wrap';
  $c->render(text => Text::Wrap::wrap('', '  ', $c->param('text') // '') . "\n", format => 'txt');
};

# Numbers: List::Util, and sprintf (its decimal point does not follow the locale).
get '/stats' => sub ($c) {
  require List::Util;
  my @n = grep {/^-?\d+(?:\.\d+)?$/} split /,/, $c->param('n') // '';
  return $c->render(json => {error => 'no numbers'}, status => 400) unless @n;
  my $sum = List::Util::sum0(@n);
  $c->render(json => {
    count   => scalar @n,
    sum     => $sum + 0,
    min     => List::Util::min(@n) + 0,
    max     => List::Util::max(@n) + 0,
    uniq    => scalar(List::Util::uniq(@n)),
    mean    => sprintf('%.2f', $sum / @n),
    padded  => sprintf('%08.3f|%-6s|%+d|%x', $sum / @n, 'ab', $sum, $sum),
  });
};

# The Unicode names of the characters of a text (charnames reads unicore/Name.pl).
get '/charname' => sub ($c) {
  require charnames;
  my @names = map { sprintf 'U+%04X %s', ord, charnames::viacode(ord) } split //, $c->param('c') // '';
  $c->render(json => {names => \@names});
};

# n! (Math::BigInt picks its library by name: GMP if installed, else Calc).
get '/factorial/:n' => [n => qr/\d{1,3}/] => sub ($c) {
  require Math::BigInt;
  Math::BigInt->import(try => 'GMP');
  my $f = Math::BigInt->new($c->param('n'))->bfac;
  $c->render(json => {n => $c->param('n') + 0, factorial => "$f", lib => Math::BigInt->config('lib')});
};

# A visit counter in the signed session cookie.
get '/visits' => sub ($c) {
  my $n = ($c->session('visits') // 0) + 1;
  $c->session(visits => $n);
  $c->render(json => {visits => $n});
};

get '/health' => {text => "ok\n", format => 'txt'};

# A bug: renders templates/exception.html.ep (production mode).
get '/boom' => sub ($c) { die "kaboom: the notes exploded\n" };

app->start;
