package mews_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	mews "github.com/mewskit/mews-go"
)

func TestCallsOnZeroOrNilHandlesFailWithAnInputError(t *testing.T) {
	var zeroClient mews.Client
	op := mews.Operation{Name: "things/getAll", Safety: mews.Read}
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"zero Connector":                       func() error { return (&mews.Connector{}).CallConnector(ctx, op, nil, nil) },
		"nil Connector":                        func() error { return (*mews.Connector)(nil).CallConnector(ctx, op, nil, nil) },
		"zero ChannelManager":                  func() error { return (&mews.ChannelManager{}).CallChannelManager(ctx, op, nil, nil) },
		"nil ChannelManager":                   func() error { return (*mews.ChannelManager)(nil).CallChannelManager(ctx, op, nil, nil) },
		"zero Client CallChannelManagerClient": func() error { return zeroClient.CallChannelManagerClient(ctx, op, nil, nil) },
		"nil Client CallChannelManagerClient":  func() error { return (*mews.Client)(nil).CallChannelManagerClient(ctx, op, nil, nil) },
		"Connector of the zero Client": func() error {
			_, err := zeroClient.Connector("REDACT-ACCESS-TOKEN-3c7e9a1d5f2b8c64")
			return err
		},
		"ChannelManager of the zero Client": func() error {
			_, err := zeroClient.ChannelManager("REDACT-CONNECTION-TOKEN-9a4f2e7c1b6d3e80")
			return err
		},
		"Connector of the nil Client":      func() error { _, err := (*mews.Client)(nil).Connector("x"); return err },
		"ChannelManager of the nil Client": func() error { _, err := (*mews.Client)(nil).ChannelManager("x"); return err },
		"zero Pager":                       func() error { _, err := (&mews.Pager[int]{}).Collect(ctx); return err },
		"nil Pager":                        func() error { _, err := (*mews.Pager[int])(nil).Collect(ctx); return err },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panicked: %v", r)
				}
			}()
			var ie *mews.InputError
			if err := call(); !errors.As(err, &ie) {
				t.Errorf("err = %v, want an *InputError", err)
			}
		})
	}
}

// TestNoMethodOfAnExportedZeroValuePanics calls every exported method of the zero value
// (and of a nil pointer) of the root package's exported types, with zero arguments and
// a background context, and ranges over the iterators they return.
func TestNoMethodOfAnExportedZeroValuePanics(t *testing.T) {
	for _, v := range []any{
		mews.Amount{}, mews.Environment{}, mews.Client{}, mews.Connector{}, mews.ChannelManager{},
		mews.Date{}, mews.ErrorDetail{}, mews.APIError{}, mews.InputError{}, mews.TimeInterval{},
		mews.Page[int]{}, mews.Pager[int]{}, mews.Operation{}, mews.RetryPolicy{},
		mews.Token{}, mews.KeyedLimiter{}, mews.RateRule{}, mews.LimitRequest{},
	} {
		typ := reflect.TypeOf(v)
		receivers := []reflect.Value{reflect.New(typ), reflect.New(typ).Elem()}
		if nilSafe[typ] {
			receivers = append(receivers, reflect.Zero(reflect.PointerTo(typ)))
		}
		for _, recv := range receivers {
			for i := range recv.NumMethod() {
				m := recv.Type().Method(i)
				if _, onValue := typ.MethodByName(m.Name); recv.Kind() == reflect.Pointer && recv.IsNil() && onValue {
					continue // Go itself panics on a value method through a nil pointer
				}
				if m.Name == "Format" {
					continue // needs a real fmt.State; TestClientAndHandlesPrintNoTokenUnderAnyVerb prints them
				}
				t.Run(recv.Type().String()+"."+m.Name, func(t *testing.T) {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("panicked: %v", r)
						}
					}()
					for _, out := range recv.Method(i).Call(zeroArgs(recv.Method(i).Type())) {
						rangeIfIterator(out)
					}
				})
			}
		}
	}
}

// nilSafe are the types whose nil pointers are documented to fail cleanly: the
// handles and the Pager that users hold and pass around.
var nilSafe = map[reflect.Type]bool{
	reflect.TypeFor[mews.Client]():         true,
	reflect.TypeFor[mews.Connector]():      true,
	reflect.TypeFor[mews.ChannelManager](): true,
	reflect.TypeFor[mews.Pager[int]]():     true,
	reflect.TypeFor[mews.KeyedLimiter]():   true,
}

var contextType = reflect.TypeFor[context.Context]()

func zeroArgs(fn reflect.Type) []reflect.Value {
	args := make([]reflect.Value, fn.NumIn())
	for i := range args {
		in := fn.In(i)
		switch {
		case in == contextType:
			args[i] = reflect.ValueOf(context.Background())
		case fn.IsVariadic() && i == fn.NumIn()-1:
			args[i] = reflect.MakeSlice(in, 0, 0)
		default:
			args[i] = reflect.Zero(in)
		}
	}
	if fn.IsVariadic() {
		return args[:len(args)-1]
	}
	return args
}

// rangeIfIterator ranges over v when it is an iter.Seq or iter.Seq2.
func rangeIfIterator(v reflect.Value) {
	t := v.Type()
	if t.Kind() != reflect.Func || v.IsNil() || t.NumIn() != 1 || t.NumOut() != 0 {
		return
	}
	yield := t.In(0)
	if yield.Kind() != reflect.Func || yield.NumOut() != 1 || yield.Out(0).Kind() != reflect.Bool {
		return
	}
	v.Call([]reflect.Value{reflect.MakeFunc(yield, func([]reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(true)}
	})})
}
