package restplane

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Mapping templates are Velocity (VTL) templates. The plane renders the
// subset most templates use, and refuses the rest plainly (501, naming the
// construct) rather than rendering it wrong:
//
//   - references, plain ($x.y), braced (${x.y}) and quiet ($!x, $!{x}); a
//     reference to nothing renders as written, as Velocity does, or as ""
//     when quiet;
//   - $input.body, $input.json('path'), $input.path('path'),
//     $input.params(), $input.params('name');
//   - $context.* (requestId, stage, apiId, accountId, resourceId,
//     resourcePath, httpMethod, path, requestTime, requestTimeEpoch,
//     identity.sourceIp, identity.userAgent, identity.apiKey,
//     identity.apiKeyId, authorizer.*, error.message, error.messageString,
//     error.responseType), $stageVariables.*;
//   - $util.escapeJavaScript, urlEncode, urlDecode, base64Encode,
//     base64Decode, parseJson;
//   - on values: .get('key'), .size(), member access;
//   - comments (## and #* *#).
//
// Directives (#set, #if, #foreach...) are refused. JSONPath covers $, .name,
// ['name'] and [index].

// unsupportedTemplateError names a construct the plane does not render.
type unsupportedTemplateError struct{ construct string }

func (e *unsupportedTemplateError) Error() string {
	return "The emulator's REST data plane does not render " + e.construct + " in mapping templates: it renders references " +
		"($input.body, $input.json, $input.path, $input.params, $context.*, $stageVariables.*, $util.escapeJavaScript and the other $util functions), not directives"
}

func unsupported(format string, args ...any) error {
	return &unsupportedTemplateError{construct: fmt.Sprintf(format, args...)}
}

// templateInput is what templates and parameter mappings read.
type templateInput struct {
	body             []byte
	path             map[string]string
	querystring      map[string]string
	multiQuerystring map[string][]string
	header           map[string]string
	multiHeader      http.Header
	context          map[string]any
	stageVariables   map[string]string
	// answer is the backend's answer, for integration response mappings
	// ($input.body is then its body); nil on the request side.
	answer *integrationAnswer
}

// param is $input.params('name'): path, then query string, then header.
func (in *templateInput) param(name string) string {
	if v, ok := in.path[name]; ok {
		return v
	}
	if v, ok := in.querystring[name]; ok {
		return v
	}
	for key, v := range in.header {
		if strings.EqualFold(key, name) {
			return v
		}
	}
	return ""
}

func (in *templateInput) params() map[string]any {
	return map[string]any{"path": anyMap(in.path), "querystring": anyMap(in.querystring), "header": anyMap(in.header)}
}

func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

var velocityDirectives = []string{"set", "if", "elseif", "else", "end", "foreach", "macro", "parse", "include", "define", "break", "stop", "evaluate", "{"}

// renderTemplate renders a mapping template.
func renderTemplate(template string, in *templateInput) (string, error) {
	var out strings.Builder
	for i := 0; i < len(template); {
		switch template[i] {
		case '#':
			next, err := skipComment(template, i)
			if err != nil {
				return "", err
			}
			if next > i {
				i = next
				continue
			}
			out.WriteByte('#')
			i++
		case '$':
			p := &refParser{src: template, pos: i}
			value, text, ok, err := p.reference(in)
			if err != nil {
				return "", err
			}
			if !ok {
				out.WriteByte('$')
				i++
				continue
			}
			out.WriteString(renderValue(value, text, p.quiet))
			i = p.pos
		default:
			out.WriteByte(template[i])
			i++
		}
	}
	return out.String(), nil
}

// skipComment returns where a comment starting at i ends, i when there is
// none, and refuses a directive.
func skipComment(src string, i int) (int, error) {
	rest := src[i+1:]
	switch {
	case strings.HasPrefix(rest, "#"):
		if end := strings.IndexByte(rest, '\n'); end >= 0 {
			return i + 1 + end + 1, nil
		}
		return len(src), nil
	case strings.HasPrefix(rest, "*"):
		if end := strings.Index(rest, "*#"); end >= 0 {
			return i + 1 + end + 2, nil
		}
		return len(src), nil
	}
	for _, directive := range velocityDirectives {
		if strings.HasPrefix(rest, directive) {
			return 0, unsupported("the directive #%s", directive)
		}
	}
	return i, nil
}

// renderValue writes a reference's value: strings as they are, numbers and
// booleans as Velocity prints them, maps and lists as JSON (Velocity would
// print Java's toString; inferred that clients want JSON). A reference to
// nothing renders as written, or as "" when quiet.
func renderValue(value any, text string, quiet bool) string {
	switch v := value.(type) {
	case nil:
		if quiet {
			return ""
		}
		return text
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		encoded, _ := json.Marshal(v)
		return string(encoded)
	}
}

// refParser reads one reference: $[!][{]name(.member | .method(args))*[}].
type refParser struct {
	src   string
	pos   int
	quiet bool
}

func (p *refParser) reference(in *templateInput) (value any, text string, ok bool, err error) {
	start := p.pos
	p.pos++ // $
	if p.peek() == '!' {
		p.quiet = true
		p.pos++
	}
	braced := p.peek() == '{'
	if braced {
		p.pos++
	}
	root := p.identifier()
	if root == "" {
		p.pos = start
		return nil, "", false, nil
	}
	value, known := rootValue(root, in)
	if !known {
		return p.unknownReference(start, braced)
	}
	for p.peek() == '.' && isIdentStart(p.peekAt(1)) {
		p.pos++
		member := p.identifier()
		if p.peek() == '(' {
			args, err := p.arguments(in)
			if err != nil {
				return nil, "", false, err
			}
			value, err = callMethod(root, value, member, args, in)
			if err != nil {
				return nil, "", false, err
			}
			continue
		}
		if value == "input" && member == "body" {
			value = string(in.body)
			continue
		}
		value = memberOf(value, member)
	}
	if braced {
		if p.peek() != '}' {
			return nil, "", false, unsupported("the reference %q", p.src[start:p.pos])
		}
		p.pos++
	}
	return value, p.src[start:p.pos], true, nil
}

// unknownReference renders a reference to a name templates do not have as
// written, as Velocity does: "$name" and what follows stays text, a braced
// reference is taken whole.
func (p *refParser) unknownReference(start int, braced bool) (any, string, bool, error) {
	if braced {
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			return nil, "", false, unsupported("the reference %q", p.src[start:])
		}
		p.pos += end + 1
	}
	return nil, p.src[start:p.pos], true, nil
}

// rootValue is the value a reference's first name names; known is false
// for names templates do not have.
func rootValue(root string, in *templateInput) (value any, known bool) {
	switch root {
	case "input", "util":
		return root, true // methods are resolved by callMethod
	case "context":
		return in.context, true
	case "stageVariables":
		return anyMap(in.stageVariables), true
	}
	return nil, false
}

func (p *refParser) peek() byte { return p.peekAt(0) }

func (p *refParser) peekAt(offset int) byte {
	if p.pos+offset >= len(p.src) {
		return 0
	}
	return p.src[p.pos+offset]
}

func isIdentStart(c byte) bool { return c < unicode.MaxASCII && unicode.IsLetter(rune(c)) }

func (p *refParser) identifier() string {
	start := p.pos
	if !isIdentStart(p.peek()) {
		return ""
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !isIdentStart(c) && !unicode.IsDigit(rune(c)) && c != '_' && c != '-' {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

// arguments reads (arg, ...): string literals, numbers and references.
func (p *refParser) arguments(in *templateInput) ([]any, error) {
	p.pos++ // (
	var args []any
	for {
		p.skipSpaces()
		switch c := p.peek(); {
		case c == ')':
			p.pos++
			return args, nil
		case c == ',':
			p.pos++
		case c == '\'' || c == '"':
			end := strings.IndexByte(p.src[p.pos+1:], c)
			if end < 0 {
				return nil, unsupported("an unterminated string")
			}
			args = append(args, p.src[p.pos+1:p.pos+1+end])
			p.pos += end + 2
		case c == '$':
			nested := &refParser{src: p.src, pos: p.pos}
			value, text, ok, err := nested.reference(in)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, unsupported("the argument at %q", p.src[p.pos:])
			}
			if value == nil {
				value = text
			}
			args = append(args, value)
			p.pos = nested.pos
		case c >= '0' && c <= '9':
			start := p.pos
			for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9') {
				p.pos++
			}
			n, _ := strconv.Atoi(p.src[start:p.pos])
			args = append(args, float64(n))
		default:
			return nil, unsupported("the method arguments at %q", truncate(p.src[p.pos:], 20))
		}
	}
}

func (p *refParser) skipSpaces() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// memberOf is value.name: a map's key; nothing for anything else.
func memberOf(value any, name string) any {
	if m, ok := value.(map[string]any); ok {
		return m[name]
	}
	return nil
}

// callMethod runs $input.x(...), $util.x(...) or a value's .get/.size.
func callMethod(root string, value any, method string, args []any, in *templateInput) (any, error) {
	if root == value {
		switch root {
		case "input":
			return inputMethod(method, args, in)
		case "util":
			return utilMethod(method, args)
		}
	}
	switch method {
	case "get":
		if len(args) == 1 {
			return memberOf(value, fmt.Sprint(args[0])), nil
		}
	case "size":
		switch v := value.(type) {
		case map[string]any:
			return float64(len(v)), nil
		case []any:
			return float64(len(v)), nil
		case string:
			return float64(len(v)), nil
		}
		return float64(0), nil
	}
	return nil, unsupported("the method .%s()", method)
}

func inputMethod(method string, args []any, in *templateInput) (any, error) {
	switch {
	case method == "params" && len(args) == 0:
		return in.params(), nil
	case method == "params" && len(args) == 1:
		return in.param(fmt.Sprint(args[0])), nil
	case (method == "json" || method == "path") && len(args) == 1:
		selected, err := selectJSONPath(in.body, fmt.Sprint(args[0]))
		if err != nil || method == "path" {
			return selected, err
		}
		encoded, _ := json.Marshal(selected)
		return string(encoded), nil
	}
	return nil, unsupported("$input.%s with %d arguments", method, len(args))
}

func utilMethod(method string, args []any) (any, error) {
	if len(args) != 1 {
		return nil, unsupported("$util.%s with %d arguments", method, len(args))
	}
	text := renderValue(args[0], "", true)
	switch method {
	case "escapeJavaScript":
		return escapeJavaScript(text), nil
	case "urlEncode":
		return url.QueryEscape(text), nil
	case "urlDecode":
		return decodedOr(url.QueryUnescape, text, text), nil
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(text)), nil
	case "base64Decode":
		return decodedOr(func(s string) (string, error) {
			decoded, err := base64.StdEncoding.DecodeString(s)
			return string(decoded), err
		}, text, ""), nil
	case "parseJson":
		return parseJSON([]byte(text)), nil
	}
	return nil, unsupported("$util.%s", method)
}

// parseJSON is the JSON value of text; nil (a null reference, selecting
// nothing) when text is not JSON.
func parseJSON(text []byte) any {
	var value any
	if json.Unmarshal(text, &value) != nil {
		return nil
	}
	return value
}

// decodedOr is decode(text), or fallback when text does not decode.
func decodedOr(decode func(string) (string, error), text, fallback string) string {
	if decoded, err := decode(text); err == nil {
		return decoded
	}
	return fallback
}

// escapeJavaScript escapes as Java's StringEscapeUtils.escapeJavaScript,
// which AWS documents $util.escapeJavaScript to be: quotes (single ones
// too), backslash, slash, control characters and non-ASCII as \uXXXX.
func escapeJavaScript(s string) string {
	var out strings.Builder
	for _, r := range s {
		switch r {
		case '"', '\'', '\\', '/':
			out.WriteByte('\\')
			out.WriteRune(r)
		case '\b':
			out.WriteString(`\b`)
		case '\f':
			out.WriteString(`\f`)
		case '\n':
			out.WriteString(`\n`)
		case '\r':
			out.WriteString(`\r`)
		case '\t':
			out.WriteString(`\t`)
		default:
			if r < 0x20 || r > 0x7e {
				for _, unit := range utf16Units(r) {
					fmt.Fprintf(&out, `\u%04X`, unit)
				}
				continue
			}
			out.WriteRune(r)
		}
	}
	return out.String()
}

func utf16Units(r rune) []rune {
	if r < 0x10000 {
		return []rune{r}
	}
	r -= 0x10000
	return []rune{0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF}
}

// selectJSONPath reads body as JSON and selects path: $, .name, ['name'],
// [index]. A body that is not JSON selects nothing.
func selectJSONPath(body []byte, path string) (any, error) {
	rest, ok := strings.CutPrefix(path, "$")
	if !ok {
		return nil, unsupported("the JSONPath %q", path)
	}
	value := parseJSON(body)
	for rest != "" {
		var step string
		var err error
		value, step, err = jsonPathStep(value, rest)
		if err != nil {
			return nil, unsupported("the JSONPath %q", path)
		}
		rest = step
	}
	return value, nil
}

// jsonPathStep applies the first step of rest to value and returns what is
// left of the path.
func jsonPathStep(value any, rest string) (any, string, error) {
	switch {
	case strings.HasPrefix(rest, "['"):
		end := strings.Index(rest, "']")
		if end < 0 {
			return nil, "", errBadPath
		}
		return memberOf(value, rest[2:end]), rest[end+2:], nil
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest, ']')
		index, err := strconv.Atoi(rest[1:max(end, 1)])
		if end < 0 || err != nil {
			return nil, "", errBadPath
		}
		list, _ := value.([]any)
		if index < 0 || index >= len(list) {
			return nil, rest[end+1:], nil
		}
		return list[index], rest[end+1:], nil
	case strings.HasPrefix(rest, "."):
		name := rest[1:]
		end := strings.IndexAny(name, ".[")
		if end < 0 {
			end = len(name)
		}
		if end == 0 {
			return nil, "", errBadPath
		}
		return memberOf(value, name[:end]), name[end:], nil
	}
	return nil, "", errBadPath
}

var errBadPath = fmt.Errorf("unsupported JSONPath")
