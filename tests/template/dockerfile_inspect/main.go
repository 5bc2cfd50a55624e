// Command dockerfile-inspect prints, as JSON, what BuildKit's own Dockerfile frontend reads from a
// Dockerfile for given build arguments: the global ARGs, and per stage its expanded base image and
// its instructions, with LABEL, COPY, ARG and ENV words expanded as a build would expand them.
// The tests use it to compare label values with the answers they came from.
//
// With --dockerignore it prints instead, for each PATH of a build context, whether the ignore
// file excludes it, decided by the pattern matcher BuildKit and Docker use.
//
// Usage: dockerfile-inspect DOCKERFILE [NAME=VALUE]...
//
//	dockerfile-inspect --dockerignore IGNOREFILE PATH...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

type command struct {
	Kind    string            `json:"kind"`
	Labels  map[string]string `json:"labels,omitempty"`
	From    string            `json:"from,omitempty"`
	Sources []string          `json:"sources,omitempty"`
	Dest    string            `json:"dest,omitempty"`
	Command string            `json:"command,omitempty"`
	Names   []string          `json:"names,omitempty"`
}

type stage struct {
	Name     string    `json:"name"`
	Base     string    `json:"base"`
	BaseRaw  string    `json:"base_raw"`
	Commands []command `json:"commands"`
}

type report struct {
	MetaArgs map[string]string `json:"meta_args"`
	Stages   []stage           `json:"stages"`
}

// scope is the variables one expansion sees, in declaration order.
type scope struct {
	names  []string
	values map[string]string
}

func newScope() *scope { return &scope{values: map[string]string{}} }

func (s *scope) set(name, value string) {
	if _, ok := s.values[name]; !ok {
		s.names = append(s.names, name)
	}
	s.values[name] = value
}

func (s *scope) env() shell.EnvGetter {
	pairs := make([]string, 0, len(s.names))
	for _, name := range s.names {
		pairs = append(pairs, name+"="+s.values[name])
	}
	return shell.EnvsFromSlice(pairs)
}

func (s *scope) expand(lex *shell.Lex) instructions.SingleWordExpander {
	return func(word string) (string, error) {
		out, _, err := lex.ProcessWord(word, s.env())
		return out, err
	}
}

// declare applies one ARG: a build argument wins, then an inherited global value, then the default.
func declare(s *scope, arg instructions.KeyValuePairOptional, buildArgs, global map[string]string) {
	if value, ok := buildArgs[arg.Key]; ok {
		s.set(arg.Key, value)
	} else if arg.Value != nil {
		s.set(arg.Key, *arg.Value)
	} else if value, ok := global[arg.Key]; ok {
		s.set(arg.Key, value)
	} else {
		s.set(arg.Key, "")
	}
}

func inspect(path string, buildArgs map[string]string) (*report, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	ast, err := parser.Parse(file)
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, err
	}
	lex := shell.NewLex(ast.EscapeToken)
	global := newScope()
	for _, meta := range metaArgs {
		if err := meta.Expand(global.expand(lex)); err != nil {
			return nil, err
		}
		for _, arg := range meta.Args {
			declare(global, arg, buildArgs, nil)
		}
	}
	out := &report{MetaArgs: global.values}
	for _, st := range stages {
		base, _, err := lex.ProcessWord(st.BaseName, global.env())
		if err != nil {
			return nil, err
		}
		described, err := describe(lex, st, buildArgs, global.values)
		if err != nil {
			return nil, err
		}
		out.Stages = append(out.Stages, stage{Name: st.Name, Base: base, BaseRaw: st.BaseName, Commands: described})
	}
	return out, nil
}

func describe(lex *shell.Lex, st instructions.Stage, buildArgs, global map[string]string) ([]command, error) {
	local := newScope()
	var out []command
	for _, cmd := range st.Commands {
		if expandable, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
			if err := expandable.Expand(local.expand(lex)); err != nil {
				return nil, err
			}
		}
		switch c := cmd.(type) {
		case *instructions.ArgCommand:
			names := []string{}
			for _, arg := range c.Args {
				declare(local, arg, buildArgs, global)
				names = append(names, arg.Key)
			}
			out = append(out, command{Kind: "arg", Names: names})
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				local.set(kv.Key, kv.Value)
			}
			out = append(out, command{Kind: "env"})
		case *instructions.LabelCommand:
			labels := map[string]string{}
			for _, kv := range c.Labels {
				labels[kv.Key] = kv.Value
			}
			out = append(out, command{Kind: "label", Labels: labels})
		case *instructions.CopyCommand:
			out = append(out, command{Kind: "copy", From: c.From, Sources: c.SourcePaths, Dest: c.DestPath})
		case *instructions.AddCommand:
			out = append(out, command{Kind: "add", Sources: c.SourcePaths, Dest: c.DestPath})
		case *instructions.RunCommand:
			out = append(out, command{Kind: "run", Command: strings.Join(c.CmdLine, " ")})
		default:
			out = append(out, command{Kind: strings.ToLower(cmd.Name())})
		}
	}
	return out, nil
}

// excluded reports, per context path, whether the ignore file keeps it out of the build context.
func excluded(ignorePath string, paths []string) (map[string]bool, error) {
	file, err := os.Open(ignorePath)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	patterns, err := ignorefile.ReadAll(file)
	if err != nil {
		return nil, err
	}
	matcher, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, path := range paths {
		match, err := matcher.MatchesOrParentMatches(path)
		if err != nil {
			return nil, err
		}
		out[path] = match
	}
	return out, nil
}

func emit(value any) {
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(value); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "--dockerignore" {
		result, err := excluded(os.Args[2], os.Args[3:])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		emit(result)
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-inspect DOCKERFILE [NAME=VALUE]...")
		fmt.Fprintln(os.Stderr, "       dockerfile-inspect --dockerignore IGNOREFILE PATH...")
		os.Exit(2)
	}
	buildArgs := map[string]string{}
	for _, pair := range os.Args[2:] {
		name, value, _ := strings.Cut(pair, "=")
		buildArgs[name] = value
	}
	result, err := inspect(os.Args[1], buildArgs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	emit(result)
}
