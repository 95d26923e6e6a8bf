package syntax

import (
	"fmt"
	"reflect"
	"strings"
)

// Dump returns an indented textual form of the tree without positions.
// Two trees are equal exactly when their dumps are equal.
func Dump(n Node) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(n), 0)
	return b.String()
}

var spanType = reflect.TypeOf(Span{})

func dumpValue(b *strings.Builder, v reflect.Value, indent int) {
	pad := strings.Repeat("  ", indent)
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		dumpValue(b, v.Elem(), indent)
	case reflect.Struct:
		b.WriteString(v.Type().Name() + " {\n")
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Type == spanType {
				continue
			}
			fmt.Fprintf(b, "%s  %s: ", pad, f.Name)
			dumpValue(b, v.Field(i), indent+1)
		}
		b.WriteString(pad + "}\n")
	case reflect.Slice:
		if v.Len() == 0 {
			b.WriteString("[]\n")
			return
		}
		b.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			b.WriteString(pad + "  ")
			dumpValue(b, v.Index(i), indent+1)
		}
		b.WriteString(pad + "]\n")
	case reflect.String:
		fmt.Fprintf(b, "%q\n", v.String())
	default:
		fmt.Fprintf(b, "%v\n", v.Interface())
	}
}
