"use client";

import { SelectField } from "@/components/select-field";
import type { ComponentProps } from "react";

/** A filter that applies as soon as it is chosen (the form's Search button still works without JavaScript). */
export function AutoSubmitSelect(props: ComponentProps<typeof SelectField>) {
  return <SelectField {...props} onChange={(e) => e.currentTarget.form?.requestSubmit()} />;
}
