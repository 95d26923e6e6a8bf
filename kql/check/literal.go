package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// LiteralValue converts a literal node to its value.
func LiteralValue(x *syntax.Literal) (types.Value, error) {
	text := x.Text
	switch x.Kind {
	case syntax.LitBool:
		if inner, ok := typedContent(text); ok {
			if inner == "null" {
				return types.NullOf(types.Bool), nil
			}
			text = inner
		}
		switch strings.ToLower(text) {
		case "true", "1":
			return types.NewBool(true), nil
		case "false", "0":
			return types.NewBool(false), nil
		}
	case syntax.LitString:
		return types.NewString(syntax.StringValue(text)), nil
	case syntax.LitTimespan:
		inner, typed := typedContent(text)
		if typed {
			if inner == "null" {
				return types.NullOf(types.Timespan), nil
			}
			text = inner
		}
		if t, ok := types.ParseTimespan(text); ok {
			return types.NewTimespan(t), nil
		}
		return types.Value{}, fmt.Errorf("invalid timespan literal %s", x.Text)
	case syntax.LitDatetime:
		inner, _ := typedContent(text)
		if inner == "null" {
			return types.NullOf(types.Datetime), nil
		}
		if t, ok := types.ParseDatetime(inner); ok {
			return types.NewDatetime(t), nil
		}
		if t, ok := types.ParseDatetimeParts(inner); ok {
			return types.NewDatetime(t), nil
		}
		return types.Value{}, fmt.Errorf("invalid datetime literal %s", x.Text)
	case syntax.LitGuid:
		inner, _ := typedContent(text)
		if inner == "null" {
			return types.NullOf(types.Guid), nil
		}
		if g, ok := types.ParseGuid(inner); ok {
			return types.NewGuid(g), nil
		}
		return types.Value{}, fmt.Errorf("invalid guid literal %s", x.Text)
	case syntax.LitInt, syntax.LitLong, syntax.LitReal, syntax.LitDecimal:
		return numberValue(x)
	}
	return types.Value{}, fmt.Errorf("invalid literal %s", x.Text)
}

// typedContent returns the text inside `kind(...)`.
func typedContent(text string) (string, bool) {
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return text, false
	}
	return strings.TrimSpace(text[open+1 : len(text)-1]), true
}

func numberValue(x *syntax.Literal) (types.Value, error) {
	text, typed := typedContent(x.Text)
	t := map[syntax.LitKind]types.Type{syntax.LitInt: types.Int, syntax.LitLong: types.Long,
		syntax.LitReal: types.Real, syntax.LitDecimal: types.Decimal}[x.Kind]
	if typed && text == "null" {
		return types.NullOf(t), nil
	}
	if t == types.Real || t == types.Decimal {
		f, ok := types.ParseReal(text)
		if !ok {
			if i, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(text, "0x"), "0X"), 16, 64); err == nil && strings.HasPrefix(strings.ToLower(text), "0x") {
				f, ok = float64(i), true
			}
		}
		if !ok {
			return types.Value{}, fmt.Errorf("invalid real literal %s", x.Text)
		}
		return types.Value{Type: t, Valid: true, F: f}, nil
	}
	var i int64
	var err error
	if strings.HasPrefix(strings.ToLower(strings.TrimLeft(text, "+-")), "0x") {
		neg := strings.HasPrefix(text, "-")
		var u uint64
		u, err = strconv.ParseUint(strings.TrimLeft(text, "+-")[2:], 16, 64)
		i = int64(u)
		if neg {
			i = -i
		}
	} else {
		i, err = strconv.ParseInt(text, 10, 64)
		if err != nil {
			if f, ok := types.ParseReal(text); ok && f == math.Trunc(f) {
				i, err = int64(f), nil
			}
		}
	}
	if err != nil {
		return types.Value{}, fmt.Errorf("invalid %s literal %s", t, x.Text)
	}
	if t == types.Int {
		i = int64(int32(i))
	}
	return types.Value{Type: t, Valid: true, I: i}, nil
}
