"""A small GraphQL reader and executor, enough for an Admin API as a connector speaks it: operations
(``query``/``mutation``, named or not, with typed variables), fields with aliases, arguments of every
literal kind and variables, nested selections. Fragments and directives are refused.

Objects are plain dicts carrying their ``__typename``; a field that takes arguments is a `Field`
(called with them). A field an object does not have is refused, as a schema would.
"""

import json
import re

TOKEN = re.compile(
    r'(?P<skip>[\s,]+|#[^\n]*)|(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]*)|(?P<punct>\.\.\.|[!$():=@\[\]{}|])"
)


class GraphQLError(Exception):
    def __init__(self, message, code="GRAPHQL_PARSE_FAILED"):
        super().__init__(message)
        self.message, self.code = message, code


class Variable:
    def __init__(self, name):
        self.name = name


class Selection:
    def __init__(self, alias, name, arguments, selections):
        self.alias, self.name, self.arguments, self.selections = alias, name, arguments, selections


class Field:
    """A field with arguments: ``resolve(arguments)`` gives its value."""

    def __init__(self, resolve):
        self.resolve = resolve


def parse(document):
    """``[(operation type, [(variable, default)], [Selection])]`` of a document."""
    tokens, position = [], 0
    while position < len(document):
        match = TOKEN.match(document, position)
        if not match:
            raise GraphQLError(f"Parse error on {document[position : position + 10]!r}")
        position = match.end()
        if match.lastgroup != "skip":
            tokens.append((match.lastgroup, match.group()))
    return _Parser(tokens).document()


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.at = tokens, 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, value=None):
        kind, text = self.peek()
        if kind == "end" or (value is not None and text != value):
            raise GraphQLError(f"Parse error on {text or 'end of document'!r}, expected {value or 'more'!r}")
        self.at += 1
        return kind, text

    def document(self):
        operations = []
        while self.peek()[0] != "end":
            _kind, text = self.peek()
            if text == "{":
                operations.append(("query", {}, self.selections()))
                continue
            if text not in ("query", "mutation"):
                raise GraphQLError(f"Parse error on {text!r}: only queries and mutations are read here")
            self.take()
            if self.peek()[0] == "name":
                self.take()
            variables = self.variable_definitions() if self.peek()[1] == "(" else {}
            operations.append((text, variables, self.selections()))
        if not operations:
            raise GraphQLError("No operation in the document")
        return operations

    def variable_definitions(self):
        definitions = {}
        self.take("(")
        while self.peek()[1] != ")":
            self.take("$")
            name = self.take()[1]
            self.take(":")
            self.type()
            definitions[name] = self.value() if self.peek()[1] == "=" and self.take("=") else None
        self.take(")")
        return definitions

    def type(self):
        if self.peek()[1] == "[":
            self.take("[")
            self.type()
            self.take("]")
        elif self.peek()[0] != "name":
            raise GraphQLError(f"Parse error on {self.peek()[1]!r}, expected a type")
        else:
            self.take()
        if self.peek()[1] == "!":
            self.take("!")

    def selections(self):
        self.take("{")
        found = []
        while self.peek()[1] != "}":
            kind, name = self.take()
            if kind != "name":
                raise GraphQLError(f"Parse error on {name!r}: fragments and directives are not read here")
            alias = None
            if self.peek()[1] == ":":
                self.take(":")
                alias, name = name, self.take()[1]
            arguments = {}
            if self.peek()[1] == "(":
                self.take("(")
                while self.peek()[1] != ")":
                    key = self.take()[1]
                    self.take(":")
                    arguments[key] = self.value()
                self.take(")")
            if self.peek()[1] == "@":
                raise GraphQLError("Parse error on '@': directives are not read here")
            inner = self.selections() if self.peek()[1] == "{" else []
            found.append(Selection(alias, name, arguments, inner))
        self.take("}")
        if not found:
            raise GraphQLError("Parse error on '}': a selection set cannot be empty")
        return found

    def value(self):
        kind, text = self.take()
        if text == "$":
            return Variable(self.take()[1])
        if kind == "string":
            return json.loads(text)
        if kind == "number":
            return float(text) if any(mark in text for mark in ".eE") else int(text)
        if text == "[":
            values = []
            while self.peek()[1] != "]":
                values.append(self.value())
            self.take("]")
            return values
        if text == "{":
            values = {}
            while self.peek()[1] != "}":
                key = self.take()[1]
                self.take(":")
                values[key] = self.value()
            self.take("}")
            return values
        if kind == "name":
            return {"true": True, "false": False, "null": None}.get(text, text)  # enums read as text
        raise GraphQLError(f"Parse error on {text!r}, expected a value")


def bind(value, variables):
    """An argument with its variables replaced by their values."""
    if isinstance(value, Variable):
        if value.name not in variables:
            raise GraphQLError(f"Variable ${value.name} is used but not declared", "variableNotDefined")
        return variables[value.name]
    if isinstance(value, list):
        return [bind(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: bind(item, variables) for key, item in value.items()}
    return value


def requested_cost(selections, variables):
    """The cost a query asks for before it runs, by the Admin API's rules: an object 1, a scalar 0,
    a connection (or list) sized by ``first``/``last`` 2 plus that many times the cost of one item."""
    total = 0
    for selection in selections:
        if not selection.selections:
            continue
        arguments = bind(selection.arguments, variables)
        size = arguments.get("first") or arguments.get("last")
        if not isinstance(size, int):
            total += 1 + requested_cost(selection.selections, variables)
            continue
        items = [inner for inner in selection.selections if inner.name in ("nodes", "edges")]
        # An item is one object: a node (``nodes { ... }``, ``edges { node { ... } }``) or a list's entry.
        each = (
            sum(requested_cost(item.selections, variables) + (item.name == "nodes") for item in items)
            if items
            else 1 + requested_cost(selection.selections, variables)
        )
        total += 2 + size * each
    return total


class Execution:
    """One query's answer, with its actual cost counted as it is built."""

    def __init__(self, variables):
        self.variables, self.cost = variables, 0

    def select(self, value, selections, type_name="field"):
        """``value`` as ``selections`` pick from it; ``type_name``: the field it is the value of."""
        if value is None:
            return None
        if isinstance(value, list):
            return [self.select(item, selections, type_name) for item in value]
        if not isinstance(value, dict):
            if selections:
                raise GraphQLError(
                    f"Selections can't be made on scalars (field '{type_name}')", "selectionMismatch"
                )
            return value
        if not selections:
            raise GraphQLError(f"Field '{type_name}' of type '{value['__typename']}' must have selections",
                               "selectionMismatch")  # fmt: skip
        if value["__typename"] not in ("PageInfo", "Connection", "Edge"):
            self.cost += 1
        answer = {}
        for selection in selections:
            name = selection.name
            if name == "__typename":
                answer[selection.alias or name] = value["__typename"]
                continue
            if name not in value or name.startswith("_"):  # leading underscores: the simulator's own
                raise GraphQLError(
                    f"Field '{name}' doesn't exist on type '{value['__typename']}'", "undefinedField"
                )
            found = value[name]
            arguments = bind(selection.arguments, self.variables)
            if isinstance(found, Field):
                found = found.resolve(arguments, self)
            elif arguments:
                raise GraphQLError(f"Field '{name}' doesn't accept arguments", "argumentNotAccepted")
            answer[selection.alias or name] = self.select(found, selection.selections, name)
        return answer
