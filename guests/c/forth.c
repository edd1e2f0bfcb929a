/* forth: an interpreter running a script, the kind of long real program segments are for.
 *
 * The public input is a script in a small stack language (the built-in one below when it is
 * empty). The guest compiles it to bytecode, runs it, and commits every value printed with `.`
 * (u32 LE); a malformed script exits 2 with its reason in the debug log.
 *
 * The language: unsigned 32-bit numbers; + - * / mod = < > and or not dup drop swap over;
 * single-letter variables (`n@` reads n, `n!` stores into n); `.` commits the top of the stack;
 * if ... else ... then; begin ... until; begin ... while ... repeat; ( comments ).
 * Division by zero gives 0 (the script decides what it means). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "zkvm.h"

/* Counts the primes below 9000 by trial division, commits the count and the last prime. */
static const char DEFAULT_SCRIPT[] =
    "( primes below 9000 by trial division )\n"
    "0 c!  0 l!  2 n!\n"
    "begin n@ 9000 < while\n"
    "  1 p!  2 d!\n"
    "  begin d@ d@ * n@ > not p@ and while\n"
    "    n@ d@ mod 0 = if 0 p! then\n"
    "    d@ 1 + d!\n"
    "  repeat\n"
    "  p@ if c@ 1 + c!  n@ l! then\n"
    "  n@ 1 + n!\n"
    "repeat\n"
    "c@ .  l@ .\n";

enum {
  OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_EQ, OP_LT, OP_GT, OP_AND, OP_OR, OP_NOT,
  OP_DUP, OP_DROP, OP_SWAP, OP_OVER, OP_LOAD, OP_STORE, OP_PRINT, OP_JUMP, OP_JUMP_IF_ZERO, OP_END
};

#define MAX_CODE 4096
#define MAX_STACK 256
#define MAX_SCRIPT 16384

static uint32_t code[MAX_CODE];
static size_t code_len;
static char script[MAX_SCRIPT + 1];

__attribute__((noreturn)) static void fail(const char *why) {
  zkvm_log_str("forth: ");
  zkvm_log_str(why);
  zkvm_log_str("\n");
  zkvm_exit(2);
}

static void emit(uint32_t word) {
  if (code_len == MAX_CODE) fail("script too long (bytecode limit)");
  code[code_len++] = word;
}

/* Compiles the script; control structures keep the addresses to patch on a small stack. */
static void compile(const char *s) {
  static const struct { const char *name; uint32_t op; } words[] = {
      {"+", OP_ADD},  {"-", OP_SUB},    {"*", OP_MUL},   {"/", OP_DIV},     {"mod", OP_MOD},
      {"=", OP_EQ},   {"<", OP_LT},     {">", OP_GT},    {"and", OP_AND},   {"or", OP_OR},
      {"not", OP_NOT}, {"dup", OP_DUP}, {"drop", OP_DROP}, {"swap", OP_SWAP}, {"over", OP_OVER},
      {".", OP_PRINT}};
  uint32_t marks[64];
  size_t depth = 0;
  char word[32];
  while (*s) {
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
    if (!*s) break;
    size_t n = 0;
    while (*s && *s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
      if (n == sizeof word - 1) fail("word too long");
      word[n++] = *s++;
    }
    word[n] = 0;
    if (strcmp(word, "(") == 0) {
      while (*s && *s != ')') s++;
      if (!*s) fail("unclosed comment");
      s++;
      continue;
    }
    if (word[0] >= '0' && word[0] <= '9') {
      uint32_t v = 0;
      for (size_t i = 0; i < n; i++) {
        if (word[i] < '0' || word[i] > '9') fail("bad number");
        v = v * 10 + (uint32_t)(word[i] - '0');
      }
      emit(OP_PUSH);
      emit(v);
      continue;
    }
    if (n == 2 && word[0] >= 'a' && word[0] <= 'z' && (word[1] == '@' || word[1] == '!')) {
      emit(word[1] == '@' ? OP_LOAD : OP_STORE);
      emit((uint32_t)(word[0] - 'a'));
      continue;
    }
    int found = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (strcmp(word, words[i].name) == 0) {
        emit(words[i].op);
        found = 1;
        break;
      }
    if (found) continue;
    if (depth >= 62) fail("control structures nested too deeply");
    if (strcmp(word, "if") == 0) {
      emit(OP_JUMP_IF_ZERO);
      marks[depth++] = (uint32_t)code_len;
      emit(0);
    } else if (strcmp(word, "else") == 0) {
      if (depth == 0) fail("else without if");
      emit(OP_JUMP);
      emit(0);
      code[marks[depth - 1]] = (uint32_t)code_len;
      marks[depth - 1] = (uint32_t)code_len - 1;
    } else if (strcmp(word, "then") == 0) {
      if (depth == 0) fail("then without if");
      code[marks[--depth]] = (uint32_t)code_len;
    } else if (strcmp(word, "begin") == 0) {
      marks[depth++] = (uint32_t)code_len;
    } else if (strcmp(word, "until") == 0) {
      if (depth == 0) fail("until without begin");
      emit(OP_JUMP_IF_ZERO);
      emit(marks[--depth]);
    } else if (strcmp(word, "while") == 0) {
      if (depth == 0) fail("while without begin");
      emit(OP_JUMP_IF_ZERO);
      marks[depth++] = (uint32_t)code_len;
      emit(0);
    } else if (strcmp(word, "repeat") == 0) {
      if (depth < 2) fail("repeat without begin ... while");
      uint32_t exit_slot = marks[--depth];
      emit(OP_JUMP);
      emit(marks[--depth]);
      code[exit_slot] = (uint32_t)code_len;
    } else {
      zkvm_log_str("forth: unknown word ");
      zkvm_log_str(word);
      fail("");
    }
  }
  if (depth != 0) fail("unclosed control structure");
  emit(OP_END);
}

static void run(void) {
  uint32_t stack[MAX_STACK], vars[26] = {0};
  size_t sp = 0, pc = 0;
#define NEED(k) \
  if (sp < (k)) fail("stack underflow")
#define BINARY(expr)   \
  NEED(2);             \
  {                    \
    uint32_t b = stack[--sp], a = stack[sp - 1]; \
    stack[sp - 1] = (expr); \
  }                    \
  break
  for (;;) {
    uint32_t op = code[pc++];
    if (sp + 2 > MAX_STACK) fail("stack overflow");
    switch (op) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_ADD: BINARY(a + b);
      case OP_SUB: BINARY(a - b);
      case OP_MUL: BINARY(a * b);
      case OP_DIV: BINARY(b ? a / b : 0);
      case OP_MOD: BINARY(b ? a % b : 0);
      case OP_EQ: BINARY(a == b);
      case OP_LT: BINARY(a < b);
      case OP_GT: BINARY(a > b);
      case OP_AND: BINARY(a && b);
      case OP_OR: BINARY(a || b);
      case OP_NOT: NEED(1); stack[sp - 1] = !stack[sp - 1]; break;
      case OP_DUP: NEED(1); stack[sp] = stack[sp - 1]; sp++; break;
      case OP_DROP: NEED(1); sp--; break;
      case OP_SWAP: {
        NEED(2);
        uint32_t t = stack[sp - 1];
        stack[sp - 1] = stack[sp - 2];
        stack[sp - 2] = t;
        break;
      }
      case OP_OVER: NEED(2); stack[sp] = stack[sp - 2]; sp++; break;
      case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
      case OP_STORE: NEED(1); vars[code[pc++]] = stack[--sp]; break;
      case OP_PRINT: {
        NEED(1);
        uint32_t v = stack[--sp];
        zkvm_commit(&v, 4);
        printf("%lu\n", (unsigned long)v);
        break;
      }
      case OP_JUMP: pc = code[pc]; break;
      case OP_JUMP_IF_ZERO: NEED(1); pc = stack[--sp] ? pc + 1 : code[pc]; break;
      case OP_END: return;
      default: fail("bad bytecode");
    }
  }
}

int main(void) {
  size_t n = zkvm_read_public(script, MAX_SCRIPT);
  char more;
  if (n == MAX_SCRIPT && zkvm_read_public(&more, 1) != 0) fail("script longer than 16 KiB");
  if (n == 0) {
    memcpy(script, DEFAULT_SCRIPT, sizeof DEFAULT_SCRIPT);
  } else {
    script[n] = 0;
  }
  compile(script);
  run();
  return 0;
}
